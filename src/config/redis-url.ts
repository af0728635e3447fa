/**
 * REDIS_URL's check. A Redis URL often carries a password, and a value that fails to parse
 * may be a password pasted on its own, or a URL whose password broke it, so no part of the
 * value is ever quoted: the message says what is wrong, in words.
 */
const EXAMPLE = '(example: redis://127.0.0.1:6379, or rediss://:password@host:6380/0 with TLS)';
const SCHEME = /^rediss?:\/\//i;
const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const MAX_PORT = 65535;

/** The part between `scheme://` and the path, without any credentials: `host:port`. */
function hostPart(value: string): string {
  const authority = value.replace(ANY_SCHEME, '').split(/[/?#]/)[0] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1);
}

function portProblem(hostPort: string): string | null {
  // An IPv6 literal is bracketed; its port follows the bracket.
  const match = /^(?:\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort);
  const port = match?.[1];
  if (port === undefined || port === '') return null;
  if (!/^\d+$/.test(port)) return 'the port after the host is not a number';
  return Number(port) >= 1 && Number(port) <= MAX_PORT ? null : `the port after the host must be from 1 to ${MAX_PORT}`;
}

/** What is wrong with a REDIS_URL, or null when it is fine; never any part of the value. */
export function redisUrlProblem(value: string): string | null {
  const wrong = (what: string) => `${what} ${EXAMPLE}`;
  if (/[\s\p{Cc}]/u.test(value)) return wrong('contains a space, a tab or a line break, which a URL cannot have');
  if (!SCHEME.test(value)) {
    return wrong(ANY_SCHEME.test(value) ? 'must start with redis:// or rediss:// (with TLS), not another scheme' : 'does not start with redis:// or rediss:// (with TLS)');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    const port = portProblem(hostPart(value));
    // The usual cause: a password with @ : / # ? in it, which must be percent-encoded.
    return wrong(port ?? 'is not a valid URL; characters such as @ : / # ? in a password must be percent-encoded (@ as %40)');
  }
  if (!url.hostname) return wrong('names no host after redis://');
  if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d+$/.test(url.pathname)) return wrong('the database after the host must be a number, like /0');
  return null;
}

/**
 * The parts of a REDIS_URL that may be secret (the whole value, its credentials, its password
 * as written and decoded), to scrub from any message as a second line of defence.
 */
export function redisUrlSecrets(value: string): string[] {
  const found = new Set<string>([value]);
  const withoutScheme = value.replace(/^[a-z][a-z0-9+.-]*:\/*/i, '');
  const at = withoutScheme.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = withoutScheme.slice(0, at);
    found.add(userinfo);
    const password = userinfo.slice(userinfo.indexOf(':') + 1);
    found.add(password);
    try {
      found.add(decodeURIComponent(password));
    } catch {
      // Not valid percent-encoding: the password as written is already in the set.
    }
  }
  return [...found];
}
