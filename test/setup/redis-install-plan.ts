/** What the machine offers, as far as getting redis-server is concerned. */
export interface Machine {
  /** redis-server (or REDIS_SERVER_BIN) runs, or TEST_REDIS_URL names a server to use. */
  haveRedis: boolean;
  root: boolean;
  /** `sudo -n true` succeeds: sudo without a password prompt. */
  passwordlessSudo: boolean;
  aptGet: boolean;
  brew: boolean;
}

export type RedisPlan =
  | { kind: 'ready' }
  | { kind: 'install'; say: string; commands: string[][] }
  | { kind: 'stop'; say: string };

const APT = [
  ['apt-get', 'update', '-qq'],
  ['apt-get', 'install', '-y', '-qq', 'redis-server'],
];

/**
 * Installs only the normal way, and only where that needs no question to a person: a package
 * manager run as root, through sudo that asks no password, or Homebrew (which never runs as root).
 */
export function planRedis(m: Machine): RedisPlan {
  if (m.haveRedis) return { kind: 'ready' };
  if (m.aptGet && m.root) {
    return { kind: 'install', say: "redis-server not found: installing it from Debian's packages (apt-get)", commands: APT };
  }
  if (m.aptGet && m.passwordlessSudo) {
    return {
      kind: 'install',
      say: "redis-server not found: installing it from Debian's packages (sudo apt-get)",
      commands: APT.map((c) => ['sudo', '-n', ...c]),
    };
  }
  if (m.brew && !m.root) {
    return { kind: 'install', say: 'redis-server not found: installing it with Homebrew (brew install redis)', commands: [['brew', 'install', 'redis']] };
  }
  return {
    kind: 'stop',
    say:
      'The tests need redis-server and it is not installed: install it (Debian/Ubuntu: sudo apt-get install redis-server; ' +
      'macOS: brew install redis) or set TEST_REDIS_URL to a server the tests may use.',
  };
}
