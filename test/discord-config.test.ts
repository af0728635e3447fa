import { describe, expect, it } from 'vitest';
import { readDiscordConfig } from '../adapters/discord/config.js';
import { configProblems } from './helpers/config-problems.js';

const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.GfAkE0.fake-token-never-logged-0123456789';

const problems = (env: Record<string, string>): string[] => configProblems(readDiscordConfig, env);

describe('reading the Discord configuration', () => {
  it('is null when no Discord variable is set: Discord is simply not configured', () => {
    expect(readDiscordConfig({ REDIS_URL: 'redis://x' })).toBeNull();
    expect(readDiscordConfig({ DISCORD_TOKEN: '  ' })).toBeNull();
  });

  it('reads a complete configuration, with the default API URL', () => {
    expect(readDiscordConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '100000000000000001' })).toEqual({
      token: TOKEN,
      applicationId: '100000000000000001',
      apiUrl: 'https://discord.com/api',
    });
    expect(readDiscordConfig({ DISCORD_TOKEN: `Bot ${TOKEN}`, DISCORD_APPLICATION_ID: '100000000000000001', DISCORD_GUILD_ID: '100000000000000002', DISCORD_API_URL: 'http://127.0.0.1:9/api/' })).toEqual({
      token: TOKEN,
      applicationId: '100000000000000001',
      guildId: '100000000000000002',
      apiUrl: 'http://127.0.0.1:9/api',
    });
  });

  it('half configured: one clear line per problem, never the token', () => {
    expect(problems({ DISCORD_GUILD_ID: 'abc' })).toEqual([
      expect.stringMatching(/^DISCORD_TOKEN: missing/),
      expect.stringMatching(/^DISCORD_APPLICATION_ID: missing/),
      expect.stringMatching(/^DISCORD_GUILD_ID: "abc" is not a server id/),
    ]);
    const bad = problems({ DISCORD_TOKEN: 'secret-but-wrong', DISCORD_APPLICATION_ID: '12', DISCORD_API_URL: 'ftp://x' });
    expect(bad).toHaveLength(3);
    expect(bad.join('\n')).not.toContain('secret-but-wrong');
  });
});
