import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

function capture(format: 'json' | 'pretty', level: 'info' | 'warn' = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const log = createLogger({ name: 'worker', level, format, stream });
  return { log, lines };
}

describe('the process logger', () => {
  it('writes one JSON object per line with a readable level, the process and the fields', () => {
    const { log, lines } = capture('json');
    log.info({ jobId: 'r-1', attempts: 2 }, 'reminder delayed');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'info', process: 'worker', jobId: 'r-1', attempts: 2, msg: 'reminder delayed' });
    expect(typeof entry['time']).toBe('string');
  });

  it('blanks tokens, secrets and passwords that slip into fields, however nested', () => {
    const { log, lines } = capture('json');
    log.error(
      {
        token: 'xoxb-1-secret',
        config: { botToken: 'xoxb-2-secret', password: 'hunter2hunter2' },
        err: { request: { headers: { authorization: 'Bearer abc.def' } } },
        calls: [{ a: { b: { signingSecret: 'deep-secret-value' } } }],
        jobId: 'r-1',
      },
      'call failed',
    );
    expect(lines.join('')).not.toMatch(/xoxb-|hunter2|abc\.def|deep-secret-value/);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ jobId: 'r-1', config: { botToken: '[redacted]' } });
    expect(lines.join('')).toContain('[redacted]');
  });

  it('is pretty for people when asked, and keeps below-level lines out', () => {
    const { log, lines } = capture('pretty', 'warn');
    log.info({}, 'not shown');
    log.warn({ caseId: 'c1' }, 'reminder could not be delivered');
    const text = lines.join('');
    expect(text).not.toContain('not shown');
    expect(text).toContain('reminder could not be delivered');
    expect(text).toContain('WARN');
    expect(text.trimStart().startsWith('{')).toBe(false);
  });

  it('can be passed around as plain functions', () => {
    const { log, lines } = capture('json');
    const { warn } = log;
    const pick = Math.random() < 2 ? log.info : log.warn;
    warn({}, 'detached warn');
    pick({}, 'detached info');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['detached warn', 'detached info']);
  });
});
