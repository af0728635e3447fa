import { spawnSync } from 'node:child_process';
import { planRedis, type Machine } from './redis-install-plan.js';

function runs(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

function look(): Machine {
  const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const haveRedis = Boolean(process.env.TEST_REDIS_URL) || runs(bin, ['--version']);
  // The usual case costs one probe; the package managers are asked only when needed.
  if (haveRedis) return { haveRedis, root: false, passwordlessSudo: false, aptGet: false, brew: false };
  return {
    haveRedis,
    root: process.getuid?.() === 0,
    passwordlessSudo: runs('sudo', ['-n', 'true']),
    aptGet: runs('apt-get', ['--version']),
    brew: runs('brew', ['--version']),
  };
}

function stop(line: string): never {
  process.stderr.write(`${line}\n`);
  // A thrown error here would come back as a stack trace per test file; one line is the message.
  process.exit(1);
}

/** vitest globalSetup: before any test spawns redis-server, make sure there is one to spawn. */
export default function ensureRedis(): void {
  const plan = planRedis(look());
  if (plan.kind === 'ready') return;
  if (plan.kind === 'stop') stop(plan.say);
  process.stderr.write(`${plan.say}\n`);
  for (const [command, ...args] of plan.commands) {
    const result = spawnSync(command!, args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.error !== undefined || result.status !== 0) {
      const why = (result.stderr || result.error?.message || '').trim().split('\n').pop() ?? '';
      stop(`installing redis-server failed (${[command, ...args].join(' ')}): ${why}`);
    }
  }
  if (!runs(process.env.REDIS_SERVER_BIN ?? 'redis-server', ['--version'])) stop('redis-server was installed but does not run from the PATH');
}
