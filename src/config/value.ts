import { z } from 'zod';

/** One line of a configuration problem, before it is written as `NAME: message`. */
export interface Problem {
  variable: string;
  message: string;
}

/** What a check says about a value: null when it is fine, otherwise what is wrong. */
export type Check = (value: string) => string | null;

const SHOWN_MAX = 40;

/**
 * A bad value as it is quoted in a message. Never called for secrets nor REDIS_URL.
 * Credentials in a URL-like value (`https://user:password@host`, with a scheme or without
 * one, or with a broken one) are masked up to the last @, since a bad URL may still carry a
 * real password; JSON quoting keeps a stray newline from splitting the one-line output.
 */
export function shown(value: string): string {
  // Up to the last @: a password may contain @ itself; a scheme, when there is one, stays.
  const masked = value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[\s\S]*@/i, (_all, scheme: string | undefined) => `${scheme ?? ''}***@`);
  return JSON.stringify(masked.length > SHOWN_MAX ? `${masked.slice(0, SHOWN_MAX - 1)}…` : masked);
}

const blankIsUnset = (value: unknown): unknown => (typeof value === 'string' ? value.trim() || undefined : value);

/**
 * One environment variable: trimmed, and empty counts as unset (compose and .env files write
 * `NAME=` for "not set"). The check is a refinement, not a transform, so a bad value here
 * still lets the cross-variable rules run and every problem is reported at once.
 */
export function variable(check: Check = () => null) {
  return z.preprocess(blankIsUnset, z.string().optional()).superRefine((value, ctx) => {
    const wrong = value === undefined ? null : check(value);
    if (wrong !== null) ctx.addIssue({ code: 'custom', message: wrong });
  });
}

export function oneOf(choices: readonly string[], example: string): Check {
  const list = `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
  return (value) => (choices.includes(value.toLowerCase()) ? null : `${shown(value)} must be ${list} (example: ${example})`);
}

export function wholeNumber(min: number, max: number, example: number): Check {
  return (value) => {
    const n = Number(value);
    return /^\d+$/.test(value) && n >= min && n <= max ? null : `${shown(value)} must be a whole number from ${min} to ${max} (example: ${example})`;
  };
}

export function port(example: number): Check {
  return (value) => {
    if (!/^\d+$/.test(value)) return `${shown(value)} is not a port number (example: ${example}; 0 picks any free port)`;
    return Number(value) <= 65535 ? null : `${shown(value)} is not a port number, ports go from 0 to 65535 (example: ${example}; 0 picks any free port)`;
  };
}

const HTTP_URL = z.url({ protocol: /^https?$/ });

export function httpUrl(example: string): Check {
  return (value) => (HTTP_URL.safeParse(value).success ? null : `${shown(value)} is not an http(s) URL (example: ${example})`);
}

/** The rule for a secret: a message that names the problem and never the value. */
export function secret(test: (value: string) => boolean, message: string): Check {
  return (value) => (test(value) ? null : message);
}

/** Whether any of these variables has a value (blank counts as unset, as everywhere). */
export function anySet(env: NodeJS.ProcessEnv, names: readonly string[]): boolean {
  return names.some((name) => blankIsUnset(env[name]) !== undefined);
}

/**
 * A URL fit for a log line or a message: scheme, host, port and path only. User, password and
 * query (which may hold a password too) are left out; what cannot be parsed is not shown.
 */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    const credentials = u.username || u.password ? '***@' : '';
    return `${u.protocol}//${credentials}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'the configured REDIS_URL';
  }
}
