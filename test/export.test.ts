import ICAL from 'ical.js';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import '../ops/packet-fonts.js';
import type { Case } from '../src/model/case.js';
import type { FileReply, Reply } from '../src/model/reply.js';
import type { Locale, Settings } from '../src/model/settings.js';
import { decide } from '../src/engine/decide.js';
import { handoverCase, NOW, OWNER, settings } from './helpers/export-fixtures.js';
import { decideUser } from '../src/engine/user-turn.js';
import { newCase, newUserState } from '../src/engine/new-records.js';
import { fileBytes } from '../src/model/reply.js';
import { fileStem } from '../src/export/file-name.js';
import { letterFilename } from '../src/engine/letter.js';
import { looksLikeSecret } from '../src/export/secrets.js';

function exportOf(c: Case, s = settings()): Reply[] {
  return decide(c, { kind: 'command', command: 'export', arg: c.client }, NOW, { settings: s, history: [] }).replies;
}

const files = (replies: Reply[]) => replies.filter((r): r is FileReply => r.kind === 'file');
const fileEnding = (replies: Reply[], ext: string) => {
  const f = files(replies).find((r) => r.filename.endsWith(ext));
  if (!f) throw new Error(`no ${ext} file in ${files(replies).map((r) => r.filename).join(', ')}`);
  return f;
};

function events(ics: string): ICAL.Event[] {
  const comp = new ICAL.Component(ICAL.parse(ics));
  return comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

async function pdfText(file: FileReply): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(fileBytes(file)));
  const { text } = await extractText(pdf, { mergePages: true });
  // The PDF wraps long lines; compare words, not line breaks.
  return text.replace(/\s+/g, ' ');
}

describe('export <client>: the calendar file', () => {
  it('has every dated item, in the user zone, with an alarm at the working-day start and stable UIDs', () => {
    const ics = fileEnding(exportOf(handoverCase('en')), '.ics').content;
    const list = events(ics);
    const byUid = new Map(list.map((e) => [e.uid, e]));
    expect([...byUid.keys()].sort()).toEqual(
      ['coolingEnd', 'lastDay', 'payment-i1', 'payment-i2', 'talk', 'task-t1', 'task-t2', 'task-t3', 'task-t4', 'wrapUp'].map((k) => `c1-${k}@offboard`).sort(),
    );
    const talk = byUid.get('c1-talk@offboard');
    // 13:00 UTC is 14:00 in Berlin, written as Berlin wall-clock time with its zone.
    expect(talk?.startDate.toString()).toBe('2026-11-25T14:00:00');
    expect(talk?.component.getFirstProperty('dtstart')?.getParameter('tzid')).toBe('Europe/Berlin');
    expect(ics).toContain('BEGIN:VTIMEZONE');
    expect(talk?.summary).toBe('Talk with Acme GmbH');
    // The alarm rings at 08:30 that day: 5h30 before the talk.
    const talkAlarm = talk?.component.getFirstSubcomponent('valarm')?.getFirstPropertyValue('trigger');
    expect(String(talkAlarm)).toBe('-PT5H30M');
    const lastDay = byUid.get('c1-lastDay@offboard');
    expect(lastDay?.startDate.isDate).toBe(true);
    expect(lastDay?.startDate.toString()).toBe('2026-12-09');
    const dayAlarm = lastDay?.component.getFirstSubcomponent('valarm');
    // All day: 15h30 before the next midnight is 08:30 on the day.
    expect(String(dayAlarm?.getFirstPropertyValue('trigger'))).toBe('-PT15H30M');
    expect(dayAlarm?.getFirstProperty('trigger')?.getParameter('related')).toBe('END');
    expect(byUid.get('c1-wrapUp@offboard')?.startDate.toString()).toBe('2026-12-10');
  });

  it('marks a paid invoice check and a dropped case as cancelled', () => {
    const paid = events(fileEnding(exportOf(handoverCase('en')), '.ics').content).find((e) => e.uid === 'c1-payment-i2@offboard');
    expect(paid?.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    const dropped: Case = { ...handoverCase('en'), stage: 'closed', outcome: 'kept', closedAt: NOW.toISOString() };
    const all = events(fileEnding(exportOf(dropped), '.ics').content);
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((e) => e.component.getFirstPropertyValue('status') === 'CANCELLED')).toBe(true);
  });

  it('a user whose zone is UTC (any of its names) gets UTC times, never a floating time', () => {
    for (const timeZone of ['UTC', 'Etc/UTC', 'Etc/GMT']) {
      const ics = fileEnding(exportOf(handoverCase('en'), settings({ timeZone })), '.ics').content;
      expect(ics, timeZone).toContain('DTSTART:20261125T130000Z');
      expect(events(ics).find((e) => e.uid === 'c1-talk@offboard')?.startDate.zone.tzid).toBe('UTC');
    }
  });

  it('keeps UIDs when a date moves, so a re-import updates the event', () => {
    const before = handoverCase('en');
    const after: Case = { ...before, notice: { ...before.notice, lastDay: '2026-12-11' }, updatedAt: '2026-11-24T10:00:00.000Z' };
    const a = events(fileEnding(exportOf(before), '.ics').content).find((e) => e.uid === 'c1-lastDay@offboard');
    const b = events(fileEnding(exportOf(after), '.ics').content).find((e) => e.uid === 'c1-lastDay@offboard');
    expect(b?.startDate.toString()).toBe('2026-12-11');
    expect(b?.sequence ?? 0).toBeGreaterThan(a?.sequence ?? 0);
  });

  it('exports what a case without dates has, and says what is missing', () => {
    const bare = newCase('c2', OWNER, 'Fresh Co', NOW);
    const replies = exportOf(bare);
    expect(events(fileEnding(replies, '.ics').content)).toEqual([]);
    expect(replies.some((r) => r.kind === 'text' && r.text === 'Not in the calendar yet, because it is not set: the talk and your last working day.')).toBe(true);
    expect(fileEnding(replies, '.md').content).toContain('Last working day: to be confirmed');
  });
});

const PACKET_LINES: Record<Locale, string[]> = {
  en: ['Closeout packet: Acme GmbH', 'Last working day: Wednesday, December 9, 2026', 'Website relaunch (due on Friday, December 4, 2026)', 'Acknowledgement of receipt', 'Jo Bloggs'],
  de: ['Abschlusspaket: Acme GmbH', 'Letzter Arbeitstag: Mittwoch, 9. Dezember 2026', 'Website relaunch (fällig am Freitag, 4. Dezember 2026)', 'Empfangsbestätigung', 'Übergabe: Dateien, Zugänge und Zugangsdaten'],
  fr: ['Dossier de clôture\u202f: Acme GmbH', 'Dernier jour de travail\u202f: mercredi 9 décembre 2026', 'Accusé de réception', 'Passation\u202f: fichiers, accès et identifiants'],
  tr: ['Kapanış dosyası: Acme GmbH', 'Son iş günü: 9 Aralık 2026 Çarşamba', 'Teslim alındı onayı', 'Devir teslim: dosyalar, erişimler ve giriş bilgileri', 'Ödenmemiş faturalar'],
  vi: ['Hồ sơ kết thúc hợp tác: Acme GmbH', 'Ngày làm việc cuối cùng:', 'Xác nhận đã nhận', 'Bàn giao: tệp, quyền truy cập và thông tin đăng nhập', 'Quý Công ty'],
};

describe('export <client>: the closeout packet', () => {
  for (const lang of Object.keys(PACKET_LINES) as Locale[]) {
    it(`renders the PDF in ${lang} and its text reads back as the Markdown says`, async () => {
      const replies = exportOf(handoverCase(lang));
      const md = fileEnding(replies, `-closeout-${lang}.md`).content;
      const pdf = fileEnding(replies, `-closeout-${lang}.pdf`);
      expect(fileBytes(pdf).subarray(0, 5).toString()).toBe('%PDF-');
      const text = await pdfText(pdf);
      for (const line of PACKET_LINES[lang]) {
        expect(md).toContain(line);
        expect(text).toContain(line.replace(/\s+/g, ' '));
      }
    });
  }

  it('lists delivered and still-due work, the handover, open invoices only, and the acknowledgement line', () => {
    const md = fileEnding(exportOf(handoverCase('en')), '.md').content;
    expect(md).toContain('## Delivered\n\n- Logo files (completed on Friday, November 20, 2026)');
    expect(md).toContain('- All of your files and documents (due on Wednesday, December 9, 2026)');
    // Written to the client like the other handover items, not as the freelancer's to-do.
    const revoking = handoverCase('en');
    revoking.tasks.push({ id: 't99', kind: 'revokeAccess', due: '2026-12-09', done: false });
    const withRevoke = fileEnding(exportOf(revoking), '.md').content;
    expect(withRevoke).toContain('- The removal of my own access to your systems (due on Wednesday, December 9, 2026)');
    expect(withRevoke).not.toContain('Revoke my own access');
    // A paragraph of its own, not a continuation of the last list item.
    expect(md).toContain('(due on Wednesday, December 9, 2026)\n\nPlease change every password and access key');
    expect(md).toContain('€1,200.00, due Tuesday, December 15, 2026');
    expect(md).not.toContain('300.00');
    expect(md).toContain('Signature: ____');
  });

  it('never puts a secret-looking task title in the packet, and warns', () => {
    const c = handoverCase('en');
    c.tasks.push({ id: 't9', kind: 'custom', title: 'FTP password: Xk9#pQ2!vL7z', due: '2026-12-01', done: false });
    const replies = exportOf(c);
    const md = fileEnding(replies, '.md').content;
    expect(md).not.toContain('Xk9');
    expect(md).toContain('Access credentials (sent separately, not in this document)');
    expect(replies.some((r) => r.kind === 'text' && r.tone === 'warning' && r.text.includes('password or key'))).toBe(true);
  });
});

describe('file names and secrets', () => {
  it('turns unsafe client names into safe file names', () => {
    expect(fileStem('../../etc/passwd')).toBe('etc-passwd');
    expect(fileStem('Acme: "Q4" <draft>?*|')).toBe('acme-q4-draft');
    expect(fileStem('Đông Á Ltd.')).toBe('đông-á-ltd');
    expect(fileStem('CON')).toBe('client-con');
    expect(fileStem('///')).toBe('client');
    const name = fileEnding(exportOf(handoverCase('en', 'a/b\\c:d*e?f"g<h>i|j\u0000k')), '.ics').filename;
    expect(name).toMatch(/^[\p{L}\p{N}-]+-dates\.ics$/u);
  });

  it('names the letter like the other files, keeping the client name\'s own letters (was "yldz-yazlm")', () => {
    const c = handoverCase('tr', 'Yıldız Yazılım A.Ş.');
    expect(letterFilename(c, 'tr')).toBe('notice-yıldız-yazılım-a-ş-tr.txt');
    expect(letterFilename(handoverCase('en', '../../etc/passwd'), 'en')).toBe('notice-etc-passwd-en.txt');
  });

  it('tells secrets from chores', () => {
    expect(looksLikeSecret('Hand over the passwords')).toBe(false);
    expect(looksLikeSecret('Return all client files')).toBe(false);
    expect(looksLikeSecret('password: hunter2')).toBe(true);
    expect(looksLikeSecret('API key ghp_abcdefghijklmnop1234')).toBe(true);
    expect(looksLikeSecret('rotate aB3$dE5&gH7*jK9!')).toBe(true);
  });
});

describe('export alone: all the user data', () => {
  it('is one versioned JSON file with settings, every case open and closed, reminders and problems', () => {
    const user = { ...newUserState(OWNER, { locale: 'en', timeZone: 'Europe/Berlin' }, NOW), openCases: ['c1'] };
    const open = { ...handoverCase('en'), reminders: [{ id: 'noticeLast-case', kind: 'noticeLast' as const, subject: 'case', at: '2026-12-09T07:30:00.000Z' }], problems: [{ at: NOW.toISOString(), reminderId: 'x', code: 'dm_closed' }] };
    const closed: Case = { ...newCase('c3', OWNER, 'Old Ltd', NOW), stage: 'closed', outcome: 'done', closedAt: '2026-10-01T10:00:00.000Z' };
    user.history = [{ caseId: 'c3', client: 'Old Ltd', outcome: 'done', closedAt: closed.closedAt ?? '' }];
    const d = decideUser({ user, cases: [open, closed], inbound: { kind: 'command', command: 'export', arg: '' }, now: NOW, newCaseId: 'cx' });
    const file = fileEnding(d.replies, '.json');
    const data = JSON.parse(file.content) as { format: string; version: number; settings: Settings; cases: Case[]; reminders: unknown[]; deliveryProblems: unknown[] };
    expect(data.format).toBe('offboard-user-export');
    expect(data.version).toBe(1);
    expect(data.settings.timeZone).toBe('Europe/Berlin');
    expect(data.cases.map((c) => c.client)).toEqual(['Acme GmbH', 'Old Ltd']);
    expect(data.reminders).toHaveLength(1);
    expect(data.deliveryProblems).toEqual([{ caseId: 'c1', client: 'Acme GmbH', at: NOW.toISOString(), reminderId: 'x', code: 'dm_closed' }]);
  });
});

// Discord's smallest upload limit (a server without boosts) is 10 MiB; Slack's is far larger.
const DISCORD_FILE_LIMIT = 10 * 1024 * 1024;

describe('a big account: 20 cases of 40 tasks each', () => {
  it('exports each case and all the data within the platforms file limits', () => {
    const cases = Array.from({ length: 20 }, (_, n) => {
      const c = { ...handoverCase('vi', `Khách hàng số ${n + 1} — Công ty TNHH Thương mại Dịch vụ`), id: `c${n + 1}` };
      c.tasks = Array.from({ length: 40 }, (_, k) => ({ id: `t${k}`, kind: 'custom' as const, title: `Bàn giao hạng mục ${k + 1}: tài liệu thiết kế và mã nguồn đầy đủ`, due: `2026-12-${String((k % 9) + 1).padStart(2, '0')}`, done: k % 3 === 0, doneOn: '2026-11-20' }));
      return c;
    });
    const sizes = cases.map((c) => files(exportOf(c)).map((f) => ({ name: f.filename, bytes: fileBytes(f).length })));
    const user = { ...newUserState(OWNER, { locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh' }, NOW), openCases: cases.map((c) => c.id) };
    const all = fileEnding(decideUser({ user, cases, inbound: { kind: 'command', command: 'export', arg: '' }, now: NOW, newCaseId: 'cx' }).replies, '.json');
    const biggest = (ext: string) => Math.max(...sizes.flat().filter((f) => f.name.endsWith(ext)).map((f) => f.bytes));
    const measured = { ics: biggest('.ics'), pdf: biggest('.pdf'), md: biggest('.md'), json: fileBytes(all).length };
    console.log(`20 cases x 40 tasks, largest file per kind (bytes): ${JSON.stringify(measured)}`);
    expect(events(fileEnding(exportOf(cases[0] as Case), '.ics').content)).toHaveLength(40 + 6);
    for (const bytes of Object.values(measured)) expect(bytes).toBeLessThan(DISCORD_FILE_LIMIT);
    expect((JSON.parse(all.content) as { cases: unknown[] }).cases).toHaveLength(20);
  });
});
