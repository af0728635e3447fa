/**
 * `npm run discord:register`: registers `/offboard` with Discord, globally (usable in servers,
 * in DMs with the bot and as a user-installed app; Discord may take a while to show changes)
 * or, with DISCORD_GUILD_ID, in that one server only, where changes show at once.
 */
import { pathToFileURL } from 'node:url';
import { REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { ConfigError, formatConfigProblems } from '../../src/config.js';
import { buildCommands } from './commands.js';
import { readDiscordConfig, type DiscordConfig } from './config.js';
import { describeError } from './log.js';

export interface Registered {
  scope: 'global' | 'guild';
  names: string[];
}

export async function registerCommands(config: DiscordConfig): Promise<Registered> {
  const rest = new REST({ api: config.apiUrl, retries: 1 }).setToken(config.token);
  const scope = config.guildId ? 'guild' : 'global';
  const route = config.guildId ? Routes.applicationGuildCommands(config.applicationId, config.guildId) : Routes.applicationCommands(config.applicationId);
  // PUT replaces the whole set: commands removed here disappear from Discord too.
  const result = (await rest.put(route, { body: buildCommands(scope) })) as RESTPutAPIApplicationCommandsResult;
  return { scope, names: result.map((c) => c.name) };
}

async function main(): Promise<number> {
  let config: DiscordConfig | null;
  try {
    // Only the Discord variables: registering needs no Redis, so a bad REDIS_URL should not stop it.
    config = readDiscordConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${formatConfigProblems(err.problems, 'discord:register')}\n`);
    return 1;
  }
  if (!config) {
    process.stderr.write('discord:register needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (see the README, section Discord).\n');
    return 1;
  }
  try {
    const done = await registerCommands(config);
    const where = done.scope === 'guild' ? `in server ${config.guildId} (shows at once)` : 'globally (a Discord client may need a restart to show changes)';
    process.stdout.write(`Registered /${done.names.join(', /')} ${where}.\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`discord:register failed: ${describeError(err, config.token)}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then((code) => process.exit(code));
}
