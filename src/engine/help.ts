import type { Reply } from '../model/reply.js';
import type { Platform } from '../model/user.js';
import { COMMAND_WORDS } from '../i18n/command-words.js';
import { COMMANDS } from '../model/inbound.js';
import { text } from './replies.js';
import type { Ctx } from './types.js';

/** The console has no buttons: its help speaks of numbers and words, the chat platforms' of buttons. */
export function helpReplies(x: Ctx, platform: Platform): Reply[] {
  const lines = COMMANDS.map((cmd) => `• ${x.say(`help.${cmd}`)}`);
  if (x.locale !== 'en') {
    const local = COMMAND_WORDS[x.locale];
    lines.push('', x.say('help.localWords', { words: COMMANDS.map((cmd) => `${local[cmd]} (${cmd})`).join(', ') }));
  }
  const outro = x.say(platform === 'console' ? 'help.outro.console' : 'help.outro.chat');
  return [text(`${x.say('help.intro')}\n${lines.join('\n')}\n\n${outro}`)];
}
