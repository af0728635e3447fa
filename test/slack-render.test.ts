/** Block Kit limits and the Slack configuration: pure, no server. */
import { describe, expect, it } from 'vitest';
import { translator } from '../src/i18n/translate.js';
import type { Reply } from '../src/model/reply.js';
import { readSlackConfig, SlackConfigError } from '../adapters/slack/config.js';
import { BLOCK_KIT } from '../adapters/slack/limits.js';
import { readAction } from '../adapters/slack/read-action.js';
import { blockId } from '../adapters/slack/refs.js';
import { renderMessages } from '../adapters/slack/render.js';
import { redact } from '../adapters/slack/log.js';
import { configProblems } from './helpers/config-problems.js';

const ctx = { owner: 'U1', say: translator('en'), formKey: () => 'fk' };
const long = (n: number, ch = 'x') => ch.repeat(n);

const problems = (env: Record<string, string>): string[] => configProblems(readSlackConfig, env, SlackConfigError);

describe('Block Kit limits are respected by shortening gracefully', () => {
  it('long labels, many options, long text and many replies stay inside the limits', () => {
    const options = Array.from({ length: 130 }, (_, i) => ({ value: `v${i}`, label: `${i} ${long(100)}` }));
    const replies: Reply[] = [
      { kind: 'text', text: long(7000, 'a') },
      { kind: 'choices', ref: { caseId: 'c1', question: 'q' }, text: 'Pick', options: options.slice(0, 3) },
      { kind: 'choices', ref: { caseId: 'c1', question: 'q2' }, text: 'Pick more', options },
      ...Array.from({ length: 60 }, (_, i): Reply => ({ kind: 'text', text: `line ${i}` })),
    ];
    const messages = renderMessages(replies, ctx);
    expect(messages.length).toBeGreaterThan(1);
    const all = messages.flatMap((m) => m.blocks);
    for (const m of messages) expect(m.blocks.length).toBeLessThanOrEqual(BLOCK_KIT.blocksPerMessage);
    // The whole long text is shown, over several sections.
    const sections = all.filter((b) => b.type === 'section') as { text: { text: string } }[];
    for (const s of sections) expect(s.text.text.length).toBeLessThanOrEqual(BLOCK_KIT.sectionText);
    expect(sections.map((s) => s.text.text).join('').replace(/[^a]/g, '').length).toBe(7000);
    const json = JSON.stringify(all);
    const buttons = [...json.matchAll(/"type":"button".*?"text":"([^"]*)"/g)].map((m) => m[1] ?? '');
    for (const b of buttons) expect([...b].length).toBeLessThanOrEqual(BLOCK_KIT.buttonText);
    const select = all.flatMap((b) => ('elements' in b ? (b.elements as { type: string; options?: { text: { text: string } }[] }[]) : [])).find((e) => e.type === 'static_select');
    expect(select?.options).toHaveLength(100);
    for (const o of select?.options ?? []) expect([...o.text.text].length).toBeLessThanOrEqual(BLOCK_KIT.optionText);
    expect(select?.options?.[0]?.text.text.endsWith('…')).toBe(true);
  });

  it('a checklist of 40 tasks is four groups of ten checkboxes', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ id: `t${i}`, label: `Task ${i}`, done: i % 2 === 0, due: 'Dec 14' }));
    const [m] = renderMessages([{ kind: 'checklist', ref: { caseId: 'c1', question: 'tasks' }, title: 'Plan', items, actions: [{ value: 'next', label: 'Plan is ready' }] }], ctx);
    const groups = m?.blocks.flatMap((b) => ('elements' in b ? (b.elements as { type: string; options?: unknown[] }[]) : [])).filter((e) => e.type === 'checkboxes');
    expect(groups?.map((g) => g.options?.length)).toEqual([10, 10, 10, 10]);
  });
});

describe('clicks become inbounds only for their owner', () => {
  const block = blockId({ caseId: 'c1', question: 'tasks' }, 'U1', 0);
  it('a checkbox tick says which task changed, whatever the message showed', () => {
    const out = readAction({ action_id: 'ob.check.0.t1,t3', block_id: block, selected_options: [{ value: 't1' }, { value: 't2' }, { value: 't3' }] }, undefined, 'U1');
    expect(out).toMatchObject({ kind: 'inbound', inbound: { kind: 'choice', caseId: 'c1', question: 'tasks', value: 'done:t2' } });
    const undo = readAction({ action_id: 'ob.check.0.t1,t3', block_id: block, selected_options: [{ value: 't1' }] }, undefined, 'U1');
    expect(undo).toMatchObject({ kind: 'inbound', inbound: { value: 'undo:t3' } });
  });
  it('another user, a mangled block id, a half-picked date', () => {
    expect(readAction({ action_id: 'ob.choice.0', block_id: block, value: 'x' }, undefined, 'U2')).toEqual({ kind: 'notYours' });
    expect(readAction({ action_id: 'ob.choice.0', block_id: 'nope', value: 'x' }, undefined, 'U1')).toEqual({ kind: 'unknown' });
    expect(readAction({ action_id: 'ob.when', block_id: block }, { [block]: { 'ob.when.date': { selected_date: '2026-12-01' } } }, 'U1')).toEqual({ kind: 'incomplete' });
  });
  it('a dashboard button is an ordinary command', () => {
    const home = blockId({ question: 'home' }, 'U1', 1);
    expect(readAction({ action_id: 'ob.choice.0', block_id: home, value: 'status Acme GmbH', text: { text: 'Details' } }, undefined, 'U1')).toMatchObject({
      kind: 'inbound',
      inbound: { kind: 'command', command: 'status', arg: 'Acme GmbH' },
    });
  });
});

describe('Slack configuration', () => {
  it('is absent when no Slack variable is set', () => {
    expect(readSlackConfig({ PORT: '8080' })).toBeNull();
  });
  it('single workspace over HTTP, Socket Mode, OAuth', () => {
    expect(readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).toEqual({ signingSecret: 's', install: { kind: 'single', botToken: 'xoxb-1' }, transport: { kind: 'http', port: 3000 } });
    expect(readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: 'http://127.0.0.1:9/api' })).toMatchObject({ transport: { kind: 'socket', appToken: 'xapp-1' }, apiUrl: 'http://127.0.0.1:9/api/' });
    expect(readSlackConfig({ SLACK_CLIENT_ID: 'i', SLACK_CLIENT_SECRET: 'c', SLACK_STATE_SECRET: 'a-long-random-state', SLACK_SIGNING_SECRET: 's', PORT: '8080' })).toMatchObject({ install: { kind: 'oauth' }, transport: { kind: 'http', port: 8080 } });
  });
  it('half-configured: one clear line per problem, and no secret echoed', () => {
    const lines = problems({ SLACK_BOT_TOKEN: 'xoxp-user-token-secret', PORT: 'eighty' });
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).toMatch(/SLACK_SIGNING_SECRET: missing/);
    expect(lines.join('\n')).toMatch(/SLACK_BOT_TOKEN: a bot token starts with "xoxb-"/);
    expect(lines.join('\n')).toMatch(/PORT: "eighty" is not a port number/);
    expect(lines.join('\n')).not.toContain('xoxp-user-token-secret');
    expect(problems({ SLACK_CLIENT_ID: 'i', SLACK_SIGNING_SECRET: 's' })).toEqual([expect.stringMatching(/^SLACK_CLIENT_SECRET: missing/), expect.stringMatching(/^SLACK_STATE_SECRET: missing/)]);
  });
  it('tokens are redacted from log lines', () => {
    expect(redact('auth failed for xoxb-123-456-abc and xapp-1-A1-xyz; Bearer xoxp-9')).toBe('auth failed for xoxb-[redacted] and xapp-[redacted]; Bearer [redacted]');
  });
});
