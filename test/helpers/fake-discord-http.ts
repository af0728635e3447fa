/** Small HTTP helpers for the fake Discord REST server: bodies in, JSON out. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface UploadedFile {
  field: string;
  name: string;
  contentType: string;
  text: string;
}

export interface ParsedBody {
  json: unknown;
  files: UploadedFile[];
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON, or multipart/form-data with `payload_json` and `files[n]` parts (how files are sent). */
export function parseBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  if (raw.length === 0) return { json: undefined, files: [] };
  const boundary = /multipart\/form-data;\s*boundary=("?)([^";]+)\1/i.exec(contentType ?? '')?.[2];
  if (!boundary) return { json: JSON.parse(raw.toString('utf8')) as unknown, files: [] };
  let json: unknown;
  const files: UploadedFile[] = [];
  for (const part of raw.toString('latin1').split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const content = Buffer.from(part.slice(split + 4).replace(/\r\n$/, ''), 'latin1').toString('utf8');
    const field = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    if (field === 'payload_json') json = JSON.parse(content) as unknown;
    else if (filename !== undefined) files.push({ field, name: filename, contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? '', text: content });
  }
  return { json, files };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204) {
    res.writeHead(204, headers).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
