import { webApi, type App } from '@slack/bolt';
import type { RedisInstallationStore } from './installation-store.js';

const CACHE_MAX = 1_000;
// A reinstall brings a new token: a cached client is used for this long at most.
const CACHE_MS = 10 * 60_000;

/**
 * The Web API client a queued turn answers with. Bolt hands a listener a client authorized for
 * the event's workspace; a turn run from the inbox (maybe in another process) finds the same
 * token again: the app's own with one workspace, the installation's with many.
 */
export function clientsFor(app: App, installations: RedisInstallationStore | null, options: webApi.WebClientOptions): (team: string) => Promise<webApi.WebClient> {
  if (!installations) return async () => app.client;
  const cache = new Map<string, { client: webApi.WebClient; at: number }>();
  return async (team) => {
    const hit = cache.get(team);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.client;
    const installation = await installations.fetchInstallation({ teamId: team, enterpriseId: undefined, isEnterpriseInstall: false });
    const token = installation.bot?.token;
    if (!token) throw new Error(`no bot token installed for team ${team}`);
    if (cache.size >= CACHE_MAX) cache.clear();
    const client = new webApi.WebClient(token, options);
    cache.set(team, { client, at: Date.now() });
    return client;
  };
}
