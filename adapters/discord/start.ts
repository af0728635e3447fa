import { Client, Events, GatewayDispatchEvents, GatewayIntentBits, Partials, Status, type APIInteraction, type GatewayDispatchPayload, type Interaction } from 'discord.js';
import type { Redis } from 'ioredis';
import type { Engine } from '../../src/engine/engine.js';
import type { DiscordConfig } from './config.js';
import { COMMAND_NAME } from './commands.js';
import type { FormMemory } from './form-memory.js';
import { describeError, redact, stderrLog, type Log } from './log.js';
import { NO_MENTIONS } from './message.js';
import { onAutocomplete, onSlashCommand } from './on-command.js';
import { onComponent } from './on-component.js';
import { DurableInbox } from '../intake/index.js';
import { RawInteractions } from './keep.js';
import { dmLine, isDirectMessage, onDirectMessage } from './on-message.js';
import { parseQueued, type DiscordQueued } from './queued.js';
import { runQueued } from './run-queued.js';
import { onModal } from './on-modal.js';
import { discordUser, type BotDeps } from './turn.js';
import { userKey } from '../../src/model/user.js';
import { UserQueue } from './user-queue.js';
import { discordAgent } from './rest-agent.js';

export interface StartDiscordOptions {
  engine: Engine;
  config: DiscordConfig;
  /** Where the forms shown wait for their "Fill in" click (Redis: they outlive the process). */
  forms: FormMemory;
  /** Structured log (the project's `Log`); tokens never reach it. */
  log?: Log;
  /**
   * With Redis, every accepted event is kept in the durable inbox (adapters/intake) and its
   * turn runs from there, so a restart loses none; without, turns run from memory.
   */
  redis?: Redis;
  keyPrefix?: string;
  /** How long an inbox entry of a dead process waits before another takes it over. */
  claimIdleMs?: number;
}

// Turns running at once in this process; more wait their turn.
const TURN_CONCURRENCY = 16;

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
  const queue = new UserQueue();
  let stopping = false;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    rest: { api: config.apiUrl, agent: discordAgent() },
  });
  const inbox = opts.redis
    ? new DurableInbox<DiscordQueued>({
        redis: opts.redis,
        keyPrefix: opts.keyPrefix ?? 'offboard',
        platform: 'discord',
        parse: parseQueued,
        run: (entry) => runQueued(deps, client, entry),
        concurrency: TURN_CONCURRENCY,
        log,
        ...(opts.claimIdleMs ? { claimIdleMs: opts.claimIdleMs } : {}),
      })
    : null;
  const deps: BotDeps = { engine: opts.engine, forms: opts.forms, log, token: config.token, inbox, raws: new RawInteractions() };
  const failed = (what: string) => (err: unknown) => log.error({ error: describeError(err, config.token) }, what);

  // discord.js emits the gateway's payload just before it builds the interaction from it: the
  // payload is what the inbox keeps, so another process can rebuild the interaction.
  client.on(Events.Raw, (packet: GatewayDispatchPayload) => {
    if (packet.t === GatewayDispatchEvents.InteractionCreate) deps.raws.put(packet.d as APIInteraction);
  });
  client.on(Events.MessageCreate, (message) => {
    if (stopping || !isDirectMessage(message)) return;
    const line = dmLine(message);
    // Kept first, in arrival order (the user's chain), then answered from the inbox. Without
    // Redis for the inbox, answered from memory, as before it.
    const keep = async (): Promise<void> => {
      if (!inbox) return onDirectMessage(deps, client, line);
      try {
        await inbox.append(userKey(discordUser(line.userId)), `discord:${line.messageId}`, line);
      } catch (err) {
        failed('DM not kept in the inbox; answering it from memory')(err);
        await onDirectMessage(deps, client, line);
      }
    };
    void queue.event(queue.run(message.author.id, () => keep().catch(failed('DM failed'))));
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
  // What a stopped process left is taken over once this one can answer it (logged in: the
  // REST client has its token).
  try {
    await inbox?.start();
  } catch (err) {
    await client.destroy();
    throw new Error(`Discord inbox not reachable in Redis: ${describeError(err, config.token)}`);
  }
  // Accepted events first (their appends), then the turns they were kept for.
  const idleAll = async (): Promise<void> => {
    await queue.idle();
    await inbox?.idle();
  };

  return {
    async stop() {
      stopping = true;
      await Promise.race([idleAll(), new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref())]);
      await inbox?.stop();
      await client.destroy();
    },
    idle: idleAll,
    // Per shard: the manager's own status stays Ready after the first login, whatever happens.
    connected: () => !stopping && client.isReady() && client.ws.shards.size > 0 && client.ws.shards.every((shard) => shard.status === Status.Ready),
    get handledEvents() {
      return queue.handledCount;
    },
  };
}
