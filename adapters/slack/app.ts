import type { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { App, type AppOptions, type CustomRoute } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { Engine } from '../../src/engine/engine.js';
import type { SlackConfig } from './config.js';
import { FormStore } from './forms.js';
import { registerHandlers } from './handlers.js';
import { HomePublisher } from './home.js';
import { RedisInstallationStore } from './installation-store.js';
import { slackKeys } from './keys.js';
import { boltLogger, describe, stderrLog, type Log } from './log.js';
import { DmChannels } from './post.js';
import { Profiles } from './profiles.js';
import { DurableInbox, MemoryInbox, type Inbox } from '../intake/index.js';
import { clientsFor } from './clients.js';
import { NotKept } from './handlers.js';
import { parseQueued, type SlackQueued } from './queued.js';
import { runQueued } from './run-queued.js';
import type { TurnDeps } from './turn.js';

// Turns running at once after their acks; more wait their turn (Redis and Slack's rate
// limits gain nothing from more, and the acks stay fast under a burst).
const TURN_CONCURRENCY = 16;

// Longest a stop waits for the turns in flight (both transports) before it lets go.
const STOP_GRACE_MS = 10_000;

/**
 * Follows the Socket Mode client's connection (it reconnects on its own). Bolt keeps its
 * receiver private; the client is an EventEmitter with documented state events.
 */
function socketState(app: App): { connected: boolean } {
  const state = { connected: false };
  const client = (app as unknown as { receiver?: { client?: EventEmitter } }).receiver?.client;
  client?.on('connected', () => (state.connected = true));
  for (const lost of ['disconnecting', 'disconnected', 'reconnecting']) client?.on(lost, () => (state.connected = false));
  return state;
}

/** The bot scopes the app asks for; the manifest lists the same. */
export const BOT_SCOPES = ['commands', 'chat:write', 'im:history', 'im:read', 'im:write', 'users:read', 'files:write'] as const;

export interface StartSlackOptions {
  engine: Engine;
  redis: Redis;
  config: SlackConfig;
  keyPrefix: string;
  log?: Log;
  /** Served beside /slack/events on the same port (HTTP mode): the operator endpoints. */
  routes?: CustomRoute[];
  /**
   * `durable` (default): every event is kept in Redis before its ack (adapters/intake).
   * `memory`: the old in-process path, where a crash after the ack loses the turn; kept for
   * the benchmark's "before" figure.
   */
  inbox?: 'durable' | 'memory';
  /** How long an inbox entry of a dead process waits before another takes it over. */
  claimIdleMs?: number;
}

export interface RunningSlack {
  stop(): Promise<void>;
  /** The HTTP port actually listened on (HTTP mode); useful with port 0. */
  port?: number;
  /** Resolves when no App Home refresh is in flight. */
  idle(): Promise<void>;
  /** For /readyz: Socket Mode's WebSocket is up (HTTP mode: always, once started). */
  connected(): boolean;
}

/** The Web API client's options: Bolt's own client and the ones made for queued turns alike. */
function slackClientOptions(config: SlackConfig, log: Log) {
  return { logger: boltLogger(log), ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}) };
}

function appOptions(config: SlackConfig, installations: RedisInstallationStore | null, log: Log, routes: CustomRoute[]): AppOptions {
  const options: AppOptions = {
    logger: boltLogger(log),
    clientOptions: config.apiUrl ? { slackApiUrl: config.apiUrl } : {},
    // init() below checks the token with auth.test and reports a bad one at start-up.
    deferInitialization: true,
    // The HTTP answer is sent when the listener returns: listeners only keep the event in the
    // inbox and ack (a millisecond), and Bolt's own early ack of an Events API event then still
    // comes after the event is kept. The turns run from the inbox, never inside a listener.
    processBeforeResponse: true,
  };
  if (config.install.kind === 'single') {
    options.token = config.install.botToken;
  } else {
    options.clientId = config.install.clientId;
    options.clientSecret = config.install.clientSecret;
    options.stateSecret = config.install.stateSecret;
    options.scopes = [...BOT_SCOPES];
    if (installations) options.installationStore = installations;
    // In Socket Mode the install pages get an HTTP server of their own, on PORT.
    options.installerOptions = { directInstall: true, ...(config.transport.kind === 'socket' ? { port: config.transport.port } : {}) };
  }
  if (config.transport.kind === 'socket') {
    options.socketMode = true;
    options.appToken = config.transport.appToken;
    // With OAuth, Bolt opens that HTTP server anyway: the operator endpoints share it.
    if (installations && routes.length) options.customRoutes = routes;
    if (config.signingSecret) options.signingSecret = config.signingSecret;
  } else {
    options.signingSecret = config.signingSecret;
    options.port = config.transport.port;
    if (routes.length) options.customRoutes = routes;
  }
  return options;
}

/** A workspace that removes the app (or revokes its bot token) leaves no token behind. */
function forgetRemovedInstallations(app: App, installations: RedisInstallationStore, log: Log): void {
  const forget = async (teamId: string | undefined): Promise<void> => {
    if (!teamId) return;
    await installations.deleteInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
    log.info({ team: teamId }, 'installation removed');
  };
  app.event('app_uninstalled', async ({ body }) => forget((body as { team_id?: string }).team_id));
  app.event('tokens_revoked', async ({ event, body }) => {
    if (event.tokens.bot?.length) await forget((body as { team_id?: string }).team_id);
  });
}

/**
 * Starts the Slack adapter: Socket Mode when an app-level token is configured, else HTTP on
 * the configured port with commands, interactivity and events all at /slack/events.
 */
export async function startSlack(opts: StartSlackOptions): Promise<RunningSlack> {
  const log = opts.log ?? stderrLog;
  const installations = opts.config.install.kind === 'oauth' ? new RedisInstallationStore(opts.redis, slackKeys(opts.keyPrefix)) : null;
  const app = new App(appOptions(opts.config, installations, log, opts.routes ?? []));
  await app.init();
  if (installations) forgetRemovedInstallations(app, installations, log);
  const home = new HomePublisher(opts.engine, log);
  const durable = opts.inbox !== 'memory';
  // The turns need the deps, the deps hold the inbox: the runner reads them once built.
  let deps: TurnDeps | undefined;
  const run = async (entry: Parameters<typeof runQueued>[1]): Promise<void> => {
    if (deps) await runQueued(deps, entry);
  };
  const inbox: Inbox<SlackQueued> & { start?(): Promise<void> } = durable
    ? new DurableInbox<SlackQueued>({ redis: opts.redis, keyPrefix: opts.keyPrefix, platform: 'slack', parse: parseQueued, run, concurrency: TURN_CONCURRENCY, log, ...(opts.claimIdleMs ? { claimIdleMs: opts.claimIdleMs } : {}) })
    : new MemoryInbox<SlackQueued>(TURN_CONCURRENCY, run);
  const idle = async (): Promise<void> => {
    await inbox.idle();
    await home.idle();
  };
  deps = {
    inbox,
    durable,
    clientFor: clientsFor(app, installations, slackClientOptions(opts.config, log)),
    engine: opts.engine,
    forms: new FormStore(opts.redis, slackKeys(opts.keyPrefix)),
    dms: new DmChannels(),
    profiles: new Profiles(opts.redis, opts.keyPrefix, log),
    home,
    log,
    locales: new Map(),
  };
  registerHandlers(app, deps);
  app.error(async (err) => {
    // An event the inbox could not keep must not be acknowledged: rethrown, Bolt answers 500.
    const original = (err as { original?: unknown }).original;
    if (err instanceof NotKept || original instanceof NotKept) throw err;
    log.error({}, `listener failed: ${describe(err)}`);
  });
  // What a stopped process left is taken over before new events come in.
  await inbox.start?.();
  if (opts.config.transport.kind === 'socket') {
    const socket = socketState(app);
    await app.start();
    log.info({}, 'connected to Slack in Socket Mode');
    return {
      idle,
      connected: () => socket.connected,
      stop: async () => {
        // Like HTTP mode: the turns already acknowledged finish before the socket closes.
        await Promise.race([idle(), new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref())]);
        await (app.stop() as Promise<unknown>);
        await inbox.stop();
      },
    };
  }
  const server = (await app.start(opts.config.transport.port)) as Server;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.config.transport.port;
  log.info({}, `listening for Slack on port ${port} at /slack/events`);
  return {
    port,
    idle,
    // The receiver listens for as long as the app runs; a lost token shows in auth errors.
    connected: () => true,
    stop: async () => {
      // As in Socket Mode, bounded: an acknowledged event the inbox still holds (a turn waiting
      // on a Redis that is not back yet) stays in the stream for another process or the next start.
      await Promise.race([idle(), new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref())]);
      // Keep-alive sockets from Slack (or a test) would hold close() open.
      server.closeAllConnections?.();
      await (app.stop() as Promise<unknown>);
      // After the receiver: no new event can be appended and then wait for another process.
      await inbox.stop();
    },
  };
}
