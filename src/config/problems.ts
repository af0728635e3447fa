/** A configuration that cannot start: one line per problem, `NAME: what is wrong (example: …)`. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * What an entry point prints before exiting with code 1, without a trailing newline:
 * `formatConfigProblems(err.problems, 'offboard worker')` →
 * "offboard worker cannot start:\n  - REDIS_URL: …\n  - PORT: …".
 */
export function formatConfigProblems(problems: string[], what: string): string {
  return [`${what} cannot start:`, ...problems.map((p) => `  - ${p}`)].join('\n');
}
