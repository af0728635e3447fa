import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express from 'express';
import type { Queue } from 'bullmq';
import { BOARD_PATH, type RequestHandler } from './board-path.js';

export { BOARD_PATH, type RequestHandler } from './board-path.js';

export interface AdminCredentials {
  user: string;
  password: string;
}

// Hashing first makes the comparison constant-time whatever the lengths.
const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
const same = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

/** True when the request carries these credentials (HTTP Basic). */
export function authorized(req: IncomingMessage, admin: AdminCredentials): boolean {
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both compared, always: which half was wrong must not show in the timing.
  const userOk = same(decoded.slice(0, colon), admin.user);
  const passwordOk = same(decoded.slice(colon + 1), admin.password);
  return userOk && passwordOk;
}

/**
 * Bull Board for the reminder queue at /admin/queues, behind Basic auth. The queue is shown
 * as BullMQ sees it: delayed jobs are reminders waiting for their time.
 */
export function boardHandler(queues: Queue[], admin: AdminCredentials): RequestHandler {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'offboard reminders' } },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(BOARD_PATH, (req, res, next) => {
    if (authorized(req, admin)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="offboard admin", charset="UTF-8"');
    res.status(401).type('text/plain').send('Authentication required.\n');
  });
  app.use(BOARD_PATH, adapter.getRouter() as express.Router);
  return (req, res) => void app(req as express.Request, res as express.Response);
}
