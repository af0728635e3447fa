import type { en } from './en.js';

/** Plural forms chosen with Intl.PluralRules; `other` is required in every language. */
export interface Plural {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

export type Message = string | Plural;

export type MessageKey = keyof typeof en;

/** Every locale implements every key: a missing or misspelled key fails the typecheck. */
export type Catalog = { readonly [K in MessageKey]: Message };

export type Params = Readonly<Record<string, string | number>>;
