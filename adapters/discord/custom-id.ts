import { createHash } from 'node:crypto';
import { isLocale, type Locale } from '../../src/model/settings.js';
import { LIMITS } from './limits.js';

/**
 * What a component or modal stands for. Discord hands back only the `custom_id` (at most 100
 * characters) when it is used, so everything needed to build the engine's inbound lives in
 * it: the owner (so someone else's click is refused before anything runs), the locale (for
 * modal labels, without a store lookup), the case and question the engine asked, and a value.
 */
export type ComponentKind =
  /** A button for one option; `value` is the option. */
  | 'choice'
  /** A single-choice select; the option comes from the pick. */
  | 'select'
  /** A multi-select; the options come from the pick. */
  | 'multi'
  /** The multi-select's confirm button: submits the options shown as selected. */
  | 'multiKeep'
  /** Opens the one-field modal of an input question; `value` is the input type. */
  | 'answer'
  /** Opens part `value` of a form's modal. */
  | 'form'
  /** The submitted one-field modal; `value` is the input type. */
  | 'answerModal'
  /** A submitted form modal, part `value`. */
  | 'formModal';

export interface ComponentId {
  kind: ComponentKind;
  owner: string;
  locale: Locale;
  caseId?: string;
  question: string;
  value: string;
}

const CODE: Readonly<Record<ComponentKind, string>> = {
  choice: 'c',
  select: 's',
  multi: 'm',
  multiKeep: 'k',
  answer: 'a',
  form: 'f',
  answerModal: 'A',
  formModal: 'F',
};
const KIND = new Map(Object.entries(CODE).map(([kind, code]) => [code, kind as ComponentKind]));
const SEP = '|';
const OVERFLOW = '~';
const OVERFLOW_KEEP = 5000;

/**
 * Ids too long for Discord are kept here under a short hash. Only the process that rendered
 * them can resolve them; elsewhere the click is treated as stale. The engine's question ids
 * and option values are short words, so this is a safety net rather than a path.
 */
const overflow = new Map<string, string>();

function plainId(id: ComponentId): string {
  return [CODE[id.kind], id.owner, id.locale, id.caseId ?? '', id.question, id.value].join(SEP);
}

export function encodeId(id: ComponentId): string {
  const plain = plainId(id);
  if (plain.length <= LIMITS.customId) return plain;
  const key = `${OVERFLOW}${createHash('sha256').update(plain).digest('base64url').slice(0, 24)}`;
  overflow.delete(key);
  overflow.set(key, plain);
  if (overflow.size > OVERFLOW_KEEP) overflow.delete(overflow.keys().next().value ?? '');
  return key;
}

/** The id's meaning, or null for an id this adapter did not make (or forgot). */
export function decodeId(customId: string): ComponentId | null {
  const plain = customId.startsWith(OVERFLOW) ? overflow.get(customId) : customId;
  if (!plain) return null;
  const parts = plain.split(SEP);
  if (parts.length < 6) return null;
  const [code = '', owner = '', locale = '', caseId = '', question = ''] = parts;
  const kind = KIND.get(code);
  if (!kind || !/^\d{1,20}$/.test(owner) || !isLocale(locale) || !question) return null;
  const value = parts.slice(5).join(SEP);
  return caseId ? { kind, owner, locale, caseId, question, value } : { kind, owner, locale, question, value };
}
