import { Client, Events, GatewayIntentBits, Partials, Status, type Interaction } from 'discord.js';
import type { Engine } from '../../src/engine/engine.js';
import type { DiscordConfig } from './config.js';
import { COMMAND_NAME } from './commands.js';
import type { FormMemory } from './form-memory.js';
import { describeError, redact, stderrLog, type Log } from './log.js';
import { NO_MENTIONS } from './message.js';
import { onAutocomplete, onSlashCommand } from './on-command.js';
import { onComponent } from './on-component.js';
import { isDirectMessage, onDirectMessage } from './on-message.js';
import { onModal } from './on-modal.js';
import type { BotDeps } from './turn.js';
import { UserQueue } from './user-queue.js';

export interface StartDiscordOptions {
  engine: Engine;
  config: DiscordConfig;
  /** Where the forms shown wait for their "Fill in" click (Redis: they outlive the process). */
  forms: FormMemory;
  /** Structured log (the project's `Log`); tokens never reach it. */
  log?: Log;
}

export interface DiscordBot {
  /** Stops taking events, lets the ones already accepted finish, and disconnects. */
  stop(): Promise<void>;
  /** Resolves when every event received so far has been handled. */
  idle(): Promise<void>;
  /** True while the gateway session is up (discord.js reconnects on its own). */
  connected(): boolean;
  /** How many events have been handled to the end. */
  readonly handledEvents: number;
}

// Longest a stop waits for turns in flight before disconnecting anyway.
const STOP_GRACE_MS = 10_000;

function route(deps: BotDeps, queue: UserQueue, interaction: Interaction): Promise<void> | null {
  if (interaction.isAutocomplete()) return interaction.commandName === COMMAND_NAME ? onAutocomplete(interaction) : null;
  if (interaction.isChatInputCommand()) return interaction.commandName === COMMAND_NAME ? onSlashCommand(deps, queue, interaction) : null;
  if (interaction.isButton() || interaction.isStringSelectMenu()) return onComponent(deps, queue, interaction);
  if (interaction.isModalSubmit()) return onModal(deps, queue, interaction);
  return null;
}

/**
 * Connects the bot to the gateway: DMs (which arrive on uncached channels, hence the
 * Channel partial) and interactions. Message content of DMs needs no privileged intent.
 */
export async function startDiscord(opts: StartDiscordOptions): Promise<DiscordBot> {
  const log = opts.log ?? stderrLog;
  const { config } = opts;
  const deps: BotDeps = { engine: opts.engine, forms: opts.forms, log, token: config.token };
  const queue = new UserQueue();
  let stopping = false;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    rest: { api: config.apiUrl },
  });
  const failed = (what: string) => (err: unknown) => log.error({ error: describeError(err, config.token) }, what);

  client.on(Events.MessageCreate, (message) => {
    if (stopping || !isDirectMessage(message)) return;
    void queue.event(queue.run(message.author.id, () => onDirectMessage(deps, message).catch(failed('DM failed'))));
  });
  client.on(Events.InteractionCreate, (interaction) => {
    if (stopping) return;
    const handling = route(deps, queue, interaction);
    if (handling) void queue.event(handling.catch(failed(`interaction ${interaction.type} failed`)));
  });
  client.on(Events.Error, failed('client error'));
  client.on(Events.ShardError, failed('gateway error'));
  client.on(Events.Warn, (message) => log.warn({ detail: redact(message, config.token) }, 'discord.js warning'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(config.token);
    await ready;
  } catch (err) {
    await client.destroy();
    throw new Error(`Discord login failed: ${describeError(err, config.token)}`);
  }
  log.info({ bot: client.user?.id ?? '' }, 'connected to Discord');

  return {
    async stop() {
      stopping = true;
      await Promise.race([queue.idle(), new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref())]);
      await client.destroy();
    },
    idle: () => queue.idle(),
    // Per shard: the manager's own status stays Ready after the first login, whatever happens.
    connected: () => !stopping && client.isReady() && client.ws.shards.size > 0 && client.ws.shards.every((shard) => shard.status === Status.Ready),
    get handledEvents() {
      return queue.handledCount;
    },
  };
}
