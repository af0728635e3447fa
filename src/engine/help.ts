import type { Reply } from '../model/reply.js';
import { COMMANDS } from '../model/inbound.js';
import { text } from './replies.js';
import type { Ctx } from './types.js';

export function helpReplies(x: Ctx): Reply[] {
  const lines = COMMANDS.map((cmd) => `• ${x.say(`help.${cmd}`)}`);
  return [text(`${x.say('help.intro')}\n${lines.join('\n')}\n\n${x.say('help.outro')}`)];
}
