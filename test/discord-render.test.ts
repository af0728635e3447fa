/** Replies rendered for Discord stay within Discord's limits, whatever the engine says. */
import { ComponentType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../adapters/discord/custom-id.js';
import type { MessageRow } from '../adapters/discord/message.js';
import { formModal, formParts } from '../adapters/discord/modals.js';
import { renderReplies } from '../adapters/discord/render.js';
import type { Reply } from '../src/model/reply.js';

const OWNER = { id: '123456789012345678', locale: 'en' as const };
const ref = { caseId: 'c0123456789a', question: 'signs' };

function leaves(rows: readonly MessageRow[] = []) {
  return rows.flatMap((r) => r.components);
}

describe('rendering for Discord', () => {
  it('splits long text into messages of at most 2,000 characters, losing nothing', () => {
    const line = 'Every word of this matters. '.repeat(10);
    const text = Array.from({ length: 30 }, () => line).join('\n');
    const messages = renderReplies([{ kind: 'text', text }], OWNER);
    expect(messages.length).toBeGreaterThan(2);
    for (const m of messages) expect(m.content.length).toBeLessThanOrEqual(2000);
    expect(messages.map((m) => m.content).join('\n').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('puts the buttons under the question, after text that came before it', () => {
    const replies: Reply[] = [
      { kind: 'text', text: 'Noted.' },
      { kind: 'choices', ref, text: 'Go on?', options: [{ value: 'yes', label: 'Yes', style: 'primary' }, { value: 'no', label: 'No', style: 'danger' }] },
    ];
    const [m, ...rest] = renderReplies(replies, OWNER);
    expect(rest).toEqual([]);
    expect(m?.content).toBe('Noted.\n\nGo on?');
    const buttons = leaves(m?.components);
    expect(buttons.map((b) => ('style' in b ? b.style : 0))).toEqual([1, 4]);
    const id = decodeId(('custom_id' in (buttons[0] ?? {}) ? (buttons[0] as { custom_id: string }).custom_id : ''));
    expect(id).toEqual({ kind: 'choice', owner: OWNER.id, locale: 'en', caseId: ref.caseId, question: 'signs', value: 'yes' });
  });

  it('many or long options become dropdowns of 25 at most, labels cut to Discord’s lengths', () => {
    const options = Array.from({ length: 60 }, (_, i) => ({ value: `v${i}`, label: `Option ${i} ${'x'.repeat(150)}` }));
    const [m] = renderReplies([{ kind: 'choices', ref, text: 'Pick', options }], OWNER);
    expect(m?.components?.length).toBeLessThanOrEqual(5);
    for (const leaf of leaves(m?.components)) {
      expect(leaf.type).toBe(ComponentType.StringSelect);
      if (leaf.type !== ComponentType.StringSelect) continue;
      expect(leaf.options.length).toBeLessThanOrEqual(25);
      for (const o of leaf.options) expect(o.label.length).toBeLessThanOrEqual(100);
      expect(leaf.custom_id.length).toBeLessThanOrEqual(100);
    }
    // Custom ids must be unique within a message.
    const ids = leaves(m?.components).map((l) => ('custom_id' in l ? l.custom_id : ''));
    expect(new Set(ids).size).toBe(ids.length);
    // A long button label never reaches Discord uncut.
    const [one] = renderReplies([{ kind: 'choices', ref, text: 'Pick', options: [{ value: 'a', label: 'y'.repeat(79) }, { value: 'b', label: 'z'.repeat(79) }] }], OWNER);
    for (const b of leaves(one?.components)) expect(('label' in b ? b.label : '')?.length).toBeLessThanOrEqual(80);
  });

  it('a multi-select shows what is selected and has a button to confirm it', () => {
    const [m] = renderReplies([{ kind: 'multi', ref, text: 'Which days?', options: [{ value: '1', label: 'Monday' }, { value: '2', label: 'Tuesday' }], selected: ['2'], submitLabel: 'Save', typedHint: '1,2' }], OWNER);
    const [select, save] = leaves(m?.components);
    expect(select?.type).toBe(ComponentType.StringSelect);
    if (select?.type === ComponentType.StringSelect) {
      expect(select.max_values).toBe(2);
      expect(select.options.filter((o) => o.default).map((o) => o.value)).toEqual(['2']);
    }
    expect(save && 'label' in save ? save.label : '').toBe('Save');
  });

  it('custom ids too long for Discord still fit and still resolve in this process', () => {
    const id = { kind: 'choice' as const, owner: OWNER.id, locale: 'de' as const, caseId: ref.caseId, question: 'q'.repeat(90), value: 'v'.repeat(40) };
    const encoded = encodeId(id);
    expect(encoded.length).toBeLessThanOrEqual(100);
    expect(decodeId(encoded)).toEqual(id);
    expect(decodeId('not-ours')).toBeNull();
  });

  it('a form longer than five fields is asked in modals of five, titles and labels within limits', () => {
    const form: Extract<Reply, { kind: 'form' }> = {
      kind: 'form',
      ref: { caseId: ref.caseId, question: 'big' },
      title: 'A very long form title that goes on and on and on',
      fields: Array.from({ length: 7 }, (_, i) => ({ id: `f${i}`, label: `Field number ${i} with a label longer than forty-five characters`, input: 'text' as const })),
      submitLabel: 'Save',
    };
    expect(formParts(form).map((p) => p.length)).toEqual([5, 2]);
    const button = { kind: 'form' as const, owner: OWNER.id, locale: 'en' as const, caseId: ref.caseId, question: 'big', value: '0' };
    const first = formModal(button, form, 0);
    const second = formModal(button, form, 1);
    expect(first?.components).toHaveLength(5);
    expect(second?.components).toHaveLength(2);
    expect(formModal(button, form, 2)).toBeNull();
    for (const modal of [first, second]) {
      expect(modal?.title.length).toBeLessThanOrEqual(45);
      expect(modal?.custom_id.length).toBeLessThanOrEqual(100);
      for (const c of modal?.components ?? []) if (c.type === ComponentType.Label) expect(c.label.length).toBeLessThanOrEqual(45);
    }
    expect(first?.title).toMatch(/\(1\/2\)$/);
  });

  it('the letter comes as an embed and as a file', () => {
    const content = 'Dear Sir or Madam,\n\nThank you.';
    const [m] = renderReplies([{ kind: 'file', filename: 'notice-acme-en.txt', mime: 'text/plain', title: 'Written notice to Acme', content }], OWNER);
    expect(m?.embeds?.[0]).toEqual({ title: 'Written notice to Acme', description: content });
    expect(m?.files?.[0]?.name).toBe('notice-acme-en.txt');
    expect(m?.files?.[0]?.data.toString('utf8')).toBe(content);
  });
});
