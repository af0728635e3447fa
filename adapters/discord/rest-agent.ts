import { createRequire } from 'node:module';
import type { RESTOptions } from 'discord.js';

/**
 * discord.js's requests go through its own undici (v6) with an agent of that same undici.
 * Without one they use undici's process-wide dispatcher, which Bolt's Socket Mode (undici v7,
 * loaded in the same process) sets up: v7 cannot read a v6 form body, so every message with
 * a file (the letter, the export) failed with "action is not a function".
 */
const requireFromRest = createRequire(createRequire(import.meta.url).resolve('@discordjs/rest'));
const undici = requireFromRest('undici') as { Agent: new () => NonNullable<RESTOptions['agent']> };

export function discordAgent(): NonNullable<RESTOptions['agent']> {
  return new undici.Agent();
}
