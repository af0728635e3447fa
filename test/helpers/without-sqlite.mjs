// Loaded with --import: the child then behaves as if better-sqlite3 (an optional dependency)
// had failed to install, as it may on a machine with no compiler.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`export async function resolve(specifier, context, next) {
  if (specifier === 'better-sqlite3') throw Object.assign(new Error("Cannot find package 'better-sqlite3'"), { code: 'ERR_MODULE_NOT_FOUND' });
  return next(specifier, context);
}`),
);
