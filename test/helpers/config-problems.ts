import { ConfigError } from '../../src/config.js';

type Environment = Record<string, string>;

/**
 * The lines a configuration reader reports for `env` ([] when it accepts it). Any other error
 * (or a ConfigError not of `kind`) is a bug in the reader and is thrown, not turned into lines.
 */
export function configProblems(read: (env: Environment) => unknown, env: Environment, kind: new (problems: string[]) => ConfigError = ConfigError): string[] {
  try {
    read(env);
  } catch (err) {
    if (err instanceof kind) return err.problems;
    throw err;
  }
  return [];
}
