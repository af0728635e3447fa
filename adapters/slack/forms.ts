import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Reply } from '../../src/model/reply.js';
import type { UserRef } from '../../src/model/user.js';
import type { SlackKeys } from './keys.js';

export type FormReply = Extract<Reply, { kind: 'form' }>;

// A reminder's form may be opened days later; after two weeks the question has moved on anyway.
const FORM_TTL_SECONDS = 14 * 24 * 3600;

/**
 * Forms shown as a "Fill in" button: a modal can only be opened with the trigger of a click,
 * and the click carries no more than a short value, so the form itself waits in Redis.
 */
export class FormStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: SlackKeys,
  ) {}

  /** Saves every form among `replies`; returns the key of each. */
  async save(user: UserRef, replies: readonly Reply[]): Promise<Map<FormReply, string>> {
    const saved = new Map<FormReply, string>();
    const forms = replies.filter((r): r is FormReply => r.kind === 'form');
    if (forms.length === 0) return saved;
    const multi = this.redis.multi();
    for (const form of forms) {
      const key = randomBytes(9).toString('base64url');
      saved.set(form, key);
      multi.set(this.keys.form(user, key), JSON.stringify(form), 'EX', FORM_TTL_SECONDS);
    }
    await multi.exec();
    return saved;
  }

  async load(user: UserRef, key: string): Promise<FormReply | null> {
    const raw = await this.redis.get(this.keys.form(user, key));
    if (!raw) return null;
    try {
      const form = JSON.parse(raw) as FormReply;
      return form.kind === 'form' && Array.isArray(form.fields) ? form : null;
    } catch {
      return null;
    }
  }
}
