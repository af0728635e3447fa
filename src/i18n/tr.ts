import { en } from './en.js';
import type { Catalog } from './types.js';

// PLACEHOLDER until translated.
export const tr: Catalog = { ...en };
