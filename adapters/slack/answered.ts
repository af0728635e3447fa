import type { types } from '@slack/bolt';
import { BLOCK_KIT } from './limits.js';
import { contextBlock } from './render.js';
import { mrkdwn, shorten } from './text.js';

type Block = types.KnownBlock;

/** `ob|owner|case|question|n` without `n`: the blocks of one question share it. */
const questionOf = (blockId: string | undefined): string | null => {
  const parts = (blockId ?? '').split('|');
  return parts.length === 5 && parts[0] === 'ob' ? parts.slice(0, 4).join('|') : null;
};

/**
 * The message a click came from, with the clicked question's buttons replaced by what was
 * picked: the answer stays readable in the conversation, and an old button cannot be clicked
 * twice. Other questions in the same message keep their buttons.
 */
export function answeredBlocks(blocks: readonly Block[], clickedBlockId: string, answered: string): Block[] {
  const question = questionOf(clickedBlockId);
  const out: Block[] = [];
  let placed = false;
  for (const b of blocks) {
    const mine = question !== null && questionOf(b.block_id) === question;
    if (!mine) {
      out.push(b);
      continue;
    }
    if (!placed) {
      out.push(contextBlock(`› ${answered}`));
      placed = true;
    }
  }
  return out.slice(0, BLOCK_KIT.blocksPerMessage);
}

/** What replaces an ephemeral question once answered: the answer, and where things go on. */
export function answeredNote(answered: string, continued: string): Block[] {
  return [{ type: 'context', elements: [{ type: 'mrkdwn', text: shorten(`› ${mrkdwn(answered)} · ${mrkdwn(continued)}`, BLOCK_KIT.contextText) }] }];
}
