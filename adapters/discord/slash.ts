import type { ChatInputCommandInteraction } from 'discord.js';
import { SETTINGS_QUESTIONS } from '../../src/engine/settings-flow.js';
import { COMMANDS, type CommandName, type Inbound } from '../../src/model/inbound.js';
import { OPTION } from './commands.js';

// The question id under which the engine asks for the time zone: `/offboard settings zone:…`
// answers it directly, exactly as typing the zone after "settings" → "Time zone" would.
const ZONE_QUESTION = Object.entries(SETTINGS_QUESTIONS).find(([, field]) => field === 'timeZone')?.[0] ?? 'tz';

const isCommand = (word: string): word is CommandName => (COMMANDS as readonly string[]).includes(word);

/** `/offboard <subcommand> [client] [zone]` as the engine's inbound: the same as typing it. */
export function slashInbound(interaction: ChatInputCommandInteraction): Inbound {
  const sub = interaction.options.getSubcommand(false) ?? 'help';
  if (!isCommand(sub)) return { kind: 'unknownCommand', word: `/${sub}` };
  if (sub === 'settings') {
    const zone = interaction.options.getString(OPTION.zone)?.trim();
    if (zone) return { kind: 'text', text: zone, question: ZONE_QUESTION };
  }
  const client = interaction.options.getString(OPTION.client)?.trim() ?? '';
  return { kind: 'command', command: sub, arg: client };
}
