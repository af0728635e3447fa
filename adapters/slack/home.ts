import type { webApi } from '@slack/bolt';
import type { Engine } from '../../src/engine/engine.js';
import { translator } from '../../src/i18n/translate.js';
import type { UserRef } from '../../src/model/user.js';
import { describe, type Log } from './log.js';
import { homeView } from './render-view.js';

/**
 * Publishes the App Home dashboard. Turns can come fast (a user ticking tasks); publishes for
 * one user are coalesced so at most one runs and one more follows with the latest state.
 */
export class HomePublisher {
  private readonly running = new Map<string, { again: boolean }>();

  constructor(
    private readonly engine: Engine,
    private readonly log: Log,
  ) {}

  /** Starts a refresh without waiting for it; failures are logged, never thrown at a turn. */
  refresh(client: webApi.WebClient, user: UserRef): void {
    const key = `${user.tenant}.${user.id}`;
    const busy = this.running.get(key);
    if (busy) {
      busy.again = true;
      return;
    }
    const state = { again: false };
    this.running.set(key, state);
    void (async () => {
      try {
        do {
          state.again = false;
          await this.publish(client, user);
        } while (state.again);
      } catch (err) {
        this.log.warn({}, `App Home not updated: ${describe(err)}`);
      } finally {
        this.running.delete(key);
      }
    })();
  }

  async publish(client: webApi.WebClient, user: UserRef): Promise<void> {
    const overview = await this.engine.overview(user);
    const view = homeView(overview.replies, { owner: user.id, say: translator(overview.locale), formKey: () => undefined });
    await client.views.publish({ user_id: user.id, view });
  }

  /** Resolves when no refresh is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await new Promise((r) => setTimeout(r, 5));
  }
}
