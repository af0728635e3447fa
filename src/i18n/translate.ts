import type { Locale } from '../model/settings.js';
import { de } from './de.js';
import { en } from './en.js';
import { fr } from './fr.js';
import { applyModifier } from './grammar/modifiers.js';
import { tr } from './tr.js';
import type { Catalog, Message, MessageKey, Params } from './types.js';
import { vi } from './vi.js';

export const CATALOGS: Readonly<Record<Locale, Catalog>> = { en, de, fr, tr, vi };

const pluralRules = new Map<Locale, Intl.PluralRules>();

function pluralFor(locale: Locale): Intl.PluralRules {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules;
}

function pick(message: Message, locale: Locale, params: Params): string {
  if (typeof message === 'string') return message;
  const count = Number(params['count'] ?? 0);
  const form = pluralFor(locale).select(count);
  return message[form] ?? message.other;
}

/**
 * Looks up a message and fills `{name}` placeholders; unknown placeholders stay visible.
 * `{name|mod}` passes the value through the language's grammar first (see grammar/modifiers.ts).
 */
export function t(locale: Locale, key: MessageKey, params: Params = {}): string {
  const message = CATALOGS[locale][key] ?? en[key];
  const chosen = pick(message, locale, params);
  if (!chosen.includes('{')) return chosen;
  return chosen.replace(/\{(\w+)(?:\|(\w+))?\}/g, (whole, name: string, mod: string | undefined) => {
    const value = params[name];
    if (value === undefined) return whole;
    return mod ? applyModifier(locale, mod, String(value)) : String(value);
  });
}

/** A translator bound to one locale, so flow code reads `say('key')`. */
export type Translator = (key: MessageKey, params?: Params) => string;

export function translator(locale: Locale): Translator {
  return (key, params) => t(locale, key, params);
}
