import type { Inbound } from '../model/inbound.js';
import type { Option, Reply } from '../model/reply.js';
import { foldWord } from './sanitize.js';
import type { Answer } from './types.js';

const norm = (s: string) => foldWord(s);

const words = (s: string) => norm(s).split(/[^\p{L}\p{N}']+/u).filter(Boolean);

type Labelled = { label: string; value: string };

function byLabel<T extends Labelled>(options: readonly T[], word: string): T | undefined {
  const w = norm(word);
  return options.find((o) => norm(o.label) === w || norm(o.value) === w);
}

/**
 * "oui" for "Oui, en ajouter une", "continuer" for "Oui, continuer", "visio": a typed word or
 * phrase that begins a label, or is a whole word of one, when exactly one option has it.
 */
function byWord<T extends Labelled>(options: readonly T[], typed: string): T | undefined {
  const t = words(typed);
  if (t.length === 0 || t.length > 3) return undefined;
  const phrase = t.join(' ');
  const starts = options.filter((o) => words(o.label).join(' ').startsWith(phrase));
  if (starts.length === 1) return starts[0];
  const contains = options.filter((o) => t.length === 1 && words(o.label).includes(phrase));
  return contains.length === 1 ? contains[0] : undefined;
}

/** The option a typed label or the unique start of one names, among any labelled options. */
export function pickByWords<T extends Labelled>(options: readonly T[], typed: string): T | undefined {
  return byLabel(options, typed) ?? byWord(options, typed);
}

function byNumberOrLabel(options: Option[], word: string): Option | undefined {
  const n = Number(word.trim());
  if (Number.isInteger(n) && n >= 1 && n <= options.length) return options[n - 1];
  return byLabel(options, word) ?? byWord(options, word);
}

/**
 * Turns typed text into the choice it names, so "2", "3 days" or "yes" work wherever buttons
 * would: in the console, in a DM, anywhere. Numbers count only where no number is asked for.
 */
export function textToAnswer(raw: string, asked: Reply[], numbers = true): Answer {
  const hasInput = !numbers || asked.some((r) => r.kind === 'input' || r.kind === 'form');
  for (const r of asked) {
    if (r.kind === 'choices') {
      // Where free input is also taken, only a whole label counts: a project named "Call" stays text.
      const hit = hasInput ? byLabel(r.options, raw) : byNumberOrLabel(r.options, raw);
      if (hit) return { kind: 'choice', value: hit.value };
    }
    if (r.kind === 'multi' && numbers) {
      const words = raw.split(/[,;]|\s+(?=\d)/).map((w) => w.trim()).filter(Boolean);
      const hits = words.map((w) => byNumberOrLabel(r.options, w));
      if (hits.length > 0 && hits.every((h) => h !== undefined)) {
        return { kind: 'multi', values: hits.map((h) => (h as Option).value) };
      }
    }
  }
  return { kind: 'text', text: raw };
}

/** True when the typed line is, word for word, the label of an offered option ("Start of working day"). */
export function isOfferedLabel(raw: string, asked: Reply[]): boolean {
  return asked.some((r) => (r.kind === 'choices' || r.kind === 'multi') && byLabel(r.options, raw) !== undefined);
}

/** The options a choice must come from, when the question offered a fixed set. */
export function offeredValues(asked: Reply[]): Set<string> | null {
  const values = new Set<string>();
  let fixed = false;
  for (const r of asked) {
    if (r.kind === 'checklist') return null;
    if (r.kind === 'choices' || r.kind === 'multi') {
      fixed = true;
      for (const o of r.options) values.add(o.value);
    }
  }
  return fixed ? values : null;
}

export function toAnswer(inbound: Inbound, asked: Reply[], numbers = true): Answer | null {
  switch (inbound.kind) {
    case 'choice':
      return { kind: 'choice', value: inbound.value };
    case 'multi':
      return { kind: 'multi', values: inbound.values };
    case 'date':
      return { kind: 'text', text: inbound.value };
    case 'submit':
      return { kind: 'submit', fields: inbound.fields };
    case 'text':
      return textToAnswer(inbound.text, asked, numbers);
    default:
      return null;
  }
}
