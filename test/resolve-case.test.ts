import { describe, expect, it } from 'vitest';
import { resolveCase } from '../src/engine/resolve-case.js';
import type { Case } from '../src/model/case.js';
import type { UserRef } from '../src/model/user.js';
import { makeCase, makeUser } from './helpers/fixtures.js';

const me: UserRef = { platform: 'console', tenant: '', id: 'me' };
const named = (id: string, client: string, stage: Case['stage'] = 'contract'): Case => ({ ...makeCase(me, id), client, stage });

describe('which case a command names', () => {
  const cases = [named('c1', "Boulangerie L'Épi d'Or"), named('c2', 'Yıldız Yazılım A.Ş.'), named('c3', 'Müller & Söhne GmbH'), named('c4', 'Acme Digital'), named('c5', 'Acme Print')];
  const user = makeUser(me, { openCases: cases.map((c) => c.id) });
  const pick = (arg: string) => {
    const found = resolveCase(user, cases, arg);
    return typeof found === 'object' && found ? found.id : found;
  };

  it('by the whole name, or the start of it', () => {
    expect(pick("boulangerie l'epi d'or")).toBe('c1');
    expect(pick('Müller')).toBe('c3');
  });

  it('by a word inside the name, after a space or an apostrophe, accents folded', () => {
    expect(pick('Épi')).toBe('c1');
    expect(pick('epi d’or')).toBe('c1');
    expect(pick('Yazılım')).toBe('c2');
    expect(pick('Söhne')).toBe('c3');
  });

  it('not in the middle of a word; two cases sharing the word are ambiguous, not guessed', () => {
    expect(pick('ulangerie')).toBeNull();
    expect(pick('Acme')).toBe('ambiguous');
    expect(pick('Print')).toBe('c5');
  });
});
