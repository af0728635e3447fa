import type { Redis } from 'ioredis';
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { SlackKeys } from './keys.js';

// Bolt asks for the installation on every request, before it may acknowledge: a short
// in-process cache keeps Redis off that path. A revoked token is dropped at once (delete).
const CACHE_MS = 60_000;
const CACHE_MAX = 1_000;

type AnyInstallation = Installation<'v1' | 'v2', boolean>;

/** The OAuth installations (bot tokens) of every workspace, in Redis. */
export class RedisInstallationStore implements InstallationStore {
  private readonly cache = new Map<string, { at: number; installation: AnyInstallation }>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: SlackKeys,
    private readonly now: () => number = Date.now,
  ) {}

  private static idOf(query: { isEnterpriseInstall?: boolean; enterpriseId?: string | undefined; teamId?: string | undefined }): string {
    const id = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
    if (!id) throw new Error('installation query without a team or enterprise id');
    return query.isEnterpriseInstall ? `E:${id}` : `T:${id}`;
  }

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(installation: Installation<AuthVersion, boolean>): Promise<void> {
    const id = RedisInstallationStore.idOf({
      isEnterpriseInstall: installation.isEnterpriseInstall ?? false,
      enterpriseId: installation.enterprise?.id,
      teamId: installation.team?.id,
    });
    await this.redis.set(this.keys.installation(id), JSON.stringify(installation));
    this.cache.delete(id);
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<AnyInstallation> {
    const id = RedisInstallationStore.idOf(query);
    const hit = this.cache.get(id);
    if (hit && this.now() - hit.at < CACHE_MS) return hit.installation;
    const raw = await this.redis.get(this.keys.installation(id));
    // The message names the workspace only: never the token.
    if (!raw) throw new Error(`no Slack installation for ${id}: install the app in that workspace`);
    const installation = JSON.parse(raw) as AnyInstallation;
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(id, { at: this.now(), installation });
    return installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const id = RedisInstallationStore.idOf(query);
    this.cache.delete(id);
    await this.redis.del(this.keys.installation(id));
  }
}
