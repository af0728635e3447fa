import type { IncomingMessage, ServerResponse } from 'node:http';

/** Where Bull Board is served; apart from the board itself, which loads express and Bull Board. */
export const BOARD_PATH = '/admin/queues';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;
