import type { Case } from '../../src/model/case.js';
import { defaultSettings, type Locale, type Settings } from '../../src/model/settings.js';
import { newCase } from '../../src/engine/new-records.js';

export const NOW = new Date('2026-11-23T09:00:00Z');
export const OWNER = { platform: 'console' as const, tenant: '', id: 'ana' };

/** A case well into the handover: a talk, a last day, invoices (one paid), tasks (one done), a referral. */
export function handoverCase(lang: Locale, client = 'Acme GmbH'): Case {
  const c = newCase('c1', OWNER, client, NOW);
  return {
    ...c,
    stage: 'handover',
    step: 'tasks',
    coolingOffUntil: '2026-11-10T08:00:00.000Z',
    conversation: { channel: 'call', reason: 'notFit', at: '2026-11-25T13:00:00.000Z' },
    notice: { kind: 'twoWeeks', lastDay: '2026-12-09' },
    contract: {
      invoices: [
        { id: 'i1', amount: '1200.00', currency: 'EUR', dueDate: '2026-12-15', paid: false },
        { id: 'i2', amount: '300.00', currency: 'EUR', dueDate: '2026-11-30', paid: true },
      ],
      looseEnds: [],
    },
    tasks: [
      { id: 't1', kind: 'finishProject', title: 'Website relaunch', due: '2026-12-04', done: false },
      { id: 't2', kind: 'custom', title: 'Logo files', due: '2026-11-20', done: true, doneOn: '2026-11-20' },
      { id: 't3', kind: 'returnFiles', due: '2026-12-09', done: false },
      { id: 't4', kind: 'handCredentials', due: '2026-12-09', done: false },
    ],
    referrals: [{ kind: 'colleague', detail: 'Jo Bloggs' }],
    letter: { language: lang },
  };
}

export const settings = (over: Partial<Settings> = {}) => defaultSettings({ timeZone: 'Europe/Berlin', timeZoneConfirmed: true, workdayStart: '08:30', ...over });

