import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Log } from '../src/log.js';
import { BOARD_PATH, type RequestHandler } from './board-path.js';
import { within } from './deadline.js';
import type { Metrics } from './metrics.js';

/** One thing /readyz needs before this process should get traffic. */
export interface ReadinessCheck {
  name: string;
  ready(): boolean | Promise<boolean>;
}

/** A path this process answers for operators; `prefix` also takes everything below it. */
export interface OpsRoute {
  path: string;
  prefix?: boolean;
  methods: string[];
  handler(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

export interface OpsOptions {
  metrics: Metrics;
  checks: ReadinessCheck[];
  /** Bull Board, when ADMIN_USER and ADMIN_PASSWORD are set. */
  board?: RequestHandler | null;
}

// A check that does not answer in this long counts as failed: a hung Redis is not ready.
const CHECK_TIMEOUT_MS = 1_000;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${JSON.stringify(body)}\n`);
}

/** /healthz, /readyz, /metrics and, with credentials, Bull Board. */
export function opsRoutes(opts: OpsOptions): OpsRoute[] {
  const routes: OpsRoute[] = [
    {
      path: '/healthz',
      methods: ['GET', 'HEAD'],
      // Alive = the event loop answers; dependencies are /readyz's business, so a Redis
      // outage never gets a healthy process restarted.
      handler: (_req, res) => json(res, 200, { status: 'ok' }),
    },
    {
      path: '/readyz',
      methods: ['GET', 'HEAD'],
      handler: async (_req, res) => {
        const results = await Promise.all(opts.checks.map(async (c) => [c.name, await within(CHECK_TIMEOUT_MS, false, () => c.ready())] as const));
        const ready = results.length > 0 && results.every(([, ok]) => ok);
        json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unready', checks: Object.fromEntries(results) });
      },
    },
    {
      path: '/metrics',
      methods: ['GET'],
      handler: async (_req, res) => {
        const body = await opts.metrics.text();
        res.writeHead(200, { 'content-type': opts.metrics.contentType });
        res.end(body);
      },
    },
  ];
  if (opts.board) {
    const board = opts.board;
    routes.push({ path: BOARD_PATH, prefix: true, methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], handler: (req, res) => board(req, res) });
  }
  return routes;
}

function matches(route: OpsRoute, path: string): boolean {
  return path === route.path || (route.prefix === true && path.startsWith(`${route.path}/`));
}

/** Runs a route's handler; a failure is logged and answered with a 500, never left hanging. */
function safely(route: OpsRoute, log: Log): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    Promise.resolve()
      .then(() => route.handler(req, res))
      .catch((err: unknown) => {
        log.error({ path: route.path, err: err instanceof Error ? err.message : String(err) }, 'operator endpoint failed');
        if (!res.headersSent) json(res, 500, { error: 'internal error' });
        else res.end();
      });
  };
}

/** A request listener for the routes; anything else is a 404. */
export function opsListener(routes: OpsRoute[], log: Log): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // Not `new URL(req.url, base)`: it throws on a request line such as `GET //`, and an
    // exception here would take the whole process down.
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes.find((r) => matches(r, path));
    if (!route) return json(res, 404, { error: 'not found' });
    if (!route.methods.includes(req.method ?? 'GET')) {
      res.setHeader('allow', route.methods.join(', '));
      return json(res, 405, { error: 'method not allowed' });
    }
    safely(route, log)(req, res);
  };
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/** Serves the routes on their own port (the worker's, the board's, a bot without Slack HTTP). */
export function serveOps(port: number, routes: OpsRoute[], log: Log): Promise<OpsServer> {
  const server: Server = createServer(opsListener(routes, log));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve({
        port: bound,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** The same routes as Bolt custom routes, so they share the Slack HTTP port. */
export function boltRoutes(routes: OpsRoute[], log: Log): Array<{ path: string; method: string[]; handler: (req: IncomingMessage, res: ServerResponse) => void }> {
  // path-to-regexp 8 (Bolt's matcher): `{/*rest}` is an optional tail.
  return routes.map((r) => ({ path: r.prefix ? `${r.path}{/*rest}` : r.path, method: r.methods, handler: safely(r, log) }));
}

/** Ready when Redis answers now: a reconnecting client queues commands, so its status counts first. */
export function redisReady(redis: { status: string; ping(): Promise<string> }): ReadinessCheck {
  return { name: 'redis', ready: async () => redis.status === 'ready' && (await redis.ping()) === 'PONG' };
}
