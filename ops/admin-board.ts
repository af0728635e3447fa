import type { Queue } from 'bullmq';
import type { AdminCredentials } from './board.js';
import type { RequestHandler } from './board-path.js';

/**
 * Bull Board when admin credentials are set, else null. Loaded only then: Bull Board and
 * express are a good part of a process's start, and most deployments run without the board.
 */
export async function adminBoard(config: { admin: AdminCredentials | null }, queue: Queue): Promise<RequestHandler | null> {
  if (!config.admin) return null;
  const { boardHandler } = await import('./board.js');
  return boardHandler([queue], config.admin);
}
