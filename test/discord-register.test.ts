/**
 * `npm run discord:register`, run as the script it is (a child process) against the fake
 * Discord: what it registers, where, and that the token never shows in its output.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../src/i18n/translate.js';
import { COMMANDS } from '../src/model/inbound.js';
import { FakeDiscord } from './helpers/fake-discord.js';
import { APPLICATION_ID, TOKEN } from './helpers/fake-discord-setup.js';
import { entryArgs } from './helpers/app-entry.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = join(ROOT, 'adapters', 'discord', 'register.ts');
const GUILD = '900000000000000077';

interface Run {
  code: number | null;
  out: string;
}

function register(env: Record<string, string>): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, entryArgs(SCRIPT), { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code, out }));
  });
}

interface Option {
  name: string;
  name_localizations?: Record<string, string>;
  description: string;
  description_localizations?: Record<string, string>;
  type: number;
  autocomplete?: boolean;
  options?: Option[];
}
interface Command extends Option {
  contexts?: number[];
  integration_types?: number[];
}

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start({ token: TOKEN, applicationId: APPLICATION_ID });
});
afterAll(async () => fake?.stop());

describe('discord:register', () => {
  it('registers /offboard globally: servers, the bot DM and user installs, described in every language', async () => {
    const run = await register({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl });
    expect(run.out).toContain('Registered /offboard globally');
    expect(run.out).not.toContain(TOKEN);
    expect(run.code).toBe(0);
    const put = fake.calls.find((c) => c.method === 'PUT' && c.path === `/applications/${APPLICATION_ID}/commands`);
    expect(put?.authorized).toBe(true);
    const [command] = put?.body as Command[];
    expect(command?.name).toBe('offboard');
    expect(command?.contexts).toEqual([0, 1, 2]); // guild, bot DM, private channel
    expect(command?.integration_types).toEqual([0, 1]); // guild install, user install
    expect(command?.description_localizations).toEqual({
      de: t('de', 'discord.command.description'),
      fr: t('fr', 'discord.command.description'),
      tr: t('tr', 'discord.command.description'),
      vi: t('vi', 'discord.command.description'),
    });
    // The subcommands are the command words, the same as typed in a DM: English as the name
    // Discord sends back, the user's language's word as the name their client shows.
    expect(command?.options?.map((o) => o.name)).toEqual([...COMMANDS]);
    const help = command?.options?.find((o) => o.name === 'help');
    expect(help?.name_localizations).toEqual({ de: 'hilfe', fr: 'aide', tr: 'yardım', vi: 'trợ_giúp' });
    expect(command?.options?.find((o) => o.name === 'export')?.name_localizations?.['tr']).toBe('dışa_aktar');
    // Discord refuses two sibling names alike in one language.
    for (const locale of ['de', 'fr', 'tr', 'vi']) {
      const names = (command?.options ?? []).map((o) => o.name_localizations?.[locale]);
      expect(new Set(names).size, locale).toBe(COMMANDS.length);
    }
    const status = command?.options?.find((o) => o.name === 'status');
    expect(status?.description_localizations?.['de']).toBe(t('de', 'discord.sub.status'));
    const client = status?.options?.[0];
    expect(client).toMatchObject({ name: 'client', name_localizations: { de: 'kunde', fr: 'client', tr: 'müşteri', vi: 'khách_hàng' } });
    const zone = command?.options?.find((o) => o.name === 'settings')?.options?.[0];
    expect(zone).toMatchObject({ name: 'zone', autocomplete: true });
    // Discord's rules: names lower case without spaces (≤32), descriptions ≤100, in every language.
    const all = (o: Option): Option[] => [o, ...(o.options ?? []).flatMap(all)];
    for (const o of all(command as Command)) {
      for (const name of [o.name, ...Object.values(o.name_localizations ?? {})]) expect(name).toMatch(/^[-_'\p{Ll}\p{Lm}\p{Lo}\p{N}]{1,32}$/u);
      for (const d of [o.description, ...Object.values(o.description_localizations ?? {})]) expect(d.length).toBeLessThanOrEqual(100);
    }
  });

  it('with DISCORD_GUILD_ID registers to that one server, where contexts do not apply', async () => {
    const run = await register({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_GUILD_ID: GUILD, DISCORD_API_URL: fake.apiUrl });
    expect(run.code).toBe(0);
    expect(run.out).toContain(`in server ${GUILD}`);
    const put = fake.calls.find((c) => c.method === 'PUT' && c.path === `/applications/${APPLICATION_ID}/guilds/${GUILD}/commands`);
    const [command] = put?.body as Command[];
    expect(command?.name).toBe('offboard');
    expect(command?.contexts).toBeUndefined();
  });

  it('half configured: one line per problem, and no request', async () => {
    const calls = fake.calls.length;
    const run = await register({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl });
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/DISCORD_APPLICATION_ID: missing/);
    expect(run.out).not.toContain(TOKEN);
    expect(fake.calls.length).toBe(calls);
  });

  it('a token Discord refuses: a clear failure, without the token', async () => {
    const wrong = `${TOKEN.slice(0, -4)}abcd`;
    const run = await register({ DISCORD_TOKEN: wrong, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl });
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/discord:register failed/);
    expect(run.out).not.toContain(wrong);
  });
});
