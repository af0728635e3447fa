// Child process for the kill -9 test: commits turns on one case as fast as it can and prints
// each version once its commit has returned (i.e. is durable), until it is killed.
import { EmbeddedDb } from '../../src/store/embedded-db.js';
import { EmbeddedStore } from '../../src/store/embedded-store.js';
import { makeCase, makeUser, userRef } from './fixtures.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: embedded-writer <dir>');
const store = new EmbeddedStore(new EmbeddedDb(dir));
const me = userRef('U_WRITER');
if (!(await store.loadUser(me))) {
  await store.commit({ user: makeUser(me, { openCases: ['c1'] }), expectedUserVersion: null, cases: [{ case: makeCase(me, 'c1'), expectedVersion: null }] });
}
for (;;) {
  const [user, current] = await Promise.all([store.loadUser(me), store.loadCase(me, 'c1')]);
  if (!user || !current) throw new Error('records vanished');
  // A note that grows, so a torn write would show as a record that does not parse.
  const next = { ...current, version: current.version + 1, pushbacks: current.pushbacks + 1, client: `Acme ${'x'.repeat(current.version % 500)}` };
  const ok = await store.commit({ user: { ...user, version: user.version + 1 }, expectedUserVersion: user.version, cases: [{ case: next, expectedVersion: current.version }] });
  if (!ok) throw new Error('lost a race with nobody');
  process.stdout.write(`${next.version}\n`);
}
