import type { Redis } from 'ioredis';
import type { Reply } from '../../src/model/reply.js';
import type { UserRef } from '../../src/model/user.js';
import { discordKeys, type DiscordKeys } from './keys.js';

export type FormReply = Extract<Reply, { kind: 'form' }>;

export interface FormEntry {
  form: FormReply;
  /** Answers from the parts already submitted, when a form spans several modals. */
  values: Record<string, string>;
}

/**
 * The forms shown to a Discord user, so a click on "Fill in" can open the right modal: a
 * button carries only 100 characters, not a form's labels. Kept in Redis, not in the
 * process, so a form shown before a restart (or by the worker's reminder) still opens after
 * it, with the parts already filled in.
 */
export interface FormMemory {
  /** Keeps every form among `replies` (a form shown again starts with no answers). */
  remember(owner: string, replies: readonly Reply[]): Promise<void>;
  get(owner: string, caseId: string | undefined, question: string): Promise<FormEntry | null>;
  /** Keeps one part's answers; returns every answer so far (only `values` if the form is gone). */
  addValues(owner: string, caseId: string | undefined, question: string, values: Record<string, string>): Promise<Record<string, string>>;
  /** A submitted form starts empty again if it is shown again (say, after a refused answer). */
  clearValues(owner: string, caseId: string | undefined, question: string): Promise<void>;
}

// As Slack's: a reminder's form may be opened days later; after two weeks the question has moved on.
export const FORM_TTL_SECONDS = 14 * 24 * 3600;

// One hash per form: the form itself, and one field per answer, so a part's answers are
// added without rewriting (or racing with) the form.
const FORM_FIELD = 'form';
const VALUE = 'v:';

const discordUser = (id: string): UserRef => ({ platform: 'discord', tenant: '', id });

function parseForm(raw: string | undefined): FormReply | null {
  if (!raw) return null;
  try {
    const form = JSON.parse(raw) as FormReply;
    return form.kind === 'form' && Array.isArray(form.fields) && typeof form.ref?.question === 'string' ? form : null;
  } catch {
    return null;
  }
}

function valuesOf(hash: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(hash)) if (field.startsWith(VALUE)) out[field.slice(VALUE.length)] = value;
  return out;
}

export class RedisFormMemory implements FormMemory {
  private readonly keys: DiscordKeys;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
  ) {
    this.keys = discordKeys(keyPrefix);
  }

  private key(owner: string, caseId: string | undefined, question: string): string {
    return this.keys.form(discordUser(owner), caseId, question);
  }

  async remember(owner: string, replies: readonly Reply[]): Promise<void> {
    const forms = replies.filter((r): r is FormReply => r.kind === 'form');
    if (forms.length === 0) return;
    const multi = this.redis.multi();
    for (const form of forms) {
      const key = this.key(owner, form.ref.caseId, form.ref.question);
      multi.del(key).hset(key, FORM_FIELD, JSON.stringify(form)).expire(key, FORM_TTL_SECONDS);
    }
    await multi.exec();
  }

  async get(owner: string, caseId: string | undefined, question: string): Promise<FormEntry | null> {
    const hash = await this.redis.hgetall(this.key(owner, caseId, question));
    const form = parseForm(hash[FORM_FIELD]);
    return form ? { form, values: valuesOf(hash) } : null;
  }

  async addValues(owner: string, caseId: string | undefined, question: string, values: Record<string, string>): Promise<Record<string, string>> {
    const key = this.key(owner, caseId, question);
    const fields = Object.entries(values).flatMap(([id, value]) => [`${VALUE}${id}`, value]);
    if (fields.length === 0) return (await this.get(owner, caseId, question))?.values ?? {};
    const result = await this.redis.multi().hset(key, ...fields).hgetall(key).exec();
    const hash = (result?.[1]?.[1] ?? {}) as Record<string, string>;
    if (!hash[FORM_FIELD]) {
      // The form had expired: the HSET made a stray hash without a TTL, which must not stay.
      await this.redis.del(key);
      return values;
    }
    return valuesOf(hash);
  }

  async clearValues(owner: string, caseId: string | undefined, question: string): Promise<void> {
    const key = this.key(owner, caseId, question);
    const fields = (await this.redis.hkeys(key)).filter((f) => f.startsWith(VALUE));
    if (fields.length > 0) await this.redis.hdel(key, ...fields);
  }
}
