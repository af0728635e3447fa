/**
 * A person using Discord against the fake server: types in the DM, clicks buttons by their
 * label, picks from dropdowns, fills modals, and waits until the bot has handled each step.
 */
import type { DiscordBot } from '../../adapters/discord/start.js';
import type { FakeDiscord, FakeUser, Place, ShownModal, StoredMessage } from './fake-discord.js';

export interface Leaf {
  type: number;
  custom_id?: string;
  label?: string;
  options?: { label: string; value: string; default?: boolean }[];
}

const STEP_TIMEOUT_MS = 15_000;

export function leaves(message: StoredMessage): Leaf[] {
  return message.components.flatMap((row) => ((row['components'] ?? []) as Leaf[]));
}

export function allText(messages: readonly StoredMessage[]): string {
  return messages.map((m) => [m.content, ...m.embeds.map((e) => `${String(e['title'] ?? '')}\n${String(e['description'] ?? '')}`)].join('\n')).join('\n\n');
}

export async function until(check: () => boolean, what: string, timeoutMs = STEP_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export class DiscordPerson {
  readonly place: Place;

  constructor(
    private readonly fake: FakeDiscord,
    private readonly bot: DiscordBot,
    readonly user: FakeUser,
    place?: Place,
  ) {
    fake.addUser(user);
    this.place = place ?? fake.dmPlace(user);
  }

  /** Everything this person sees in their DM with the bot, in order. */
  get dm(): StoredMessage[] {
    return this.fake.channelMessages(this.fake.dmChannelOf(this.user.id), this.user.id);
  }

  /** Runs one action and waits until the bot has handled it; returns the DM messages it added. */
  async step(action: () => void): Promise<StoredMessage[]> {
    const before = new Set(this.dm.map((m) => m.id));
    const handled = this.bot.handledEvents;
    action();
    await until(() => this.bot.handledEvents > handled, 'the bot to handle the event');
    await this.bot.idle();
    return this.dm.filter((m) => !before.has(m.id));
  }

  say(text: string): Promise<StoredMessage[]> {
    return this.step(() => this.fake.sendDm(this.user, text));
  }

  /** The newest message (here, or in `within`) with a widget matching `match`. */
  find(match: (leaf: Leaf) => boolean, within: readonly StoredMessage[] = this.dm): { message: StoredMessage; leaf: Leaf } {
    for (const message of [...within].reverse()) {
      const leaf = leaves(message).find(match);
      if (leaf) return { message, leaf };
    }
    throw new Error(`no widget found; last message: ${JSON.stringify(within.at(-1)?.content)}`);
  }

  /** Clicks the newest button with this label (or the label's start). */
  click(label: string | RegExp, by: FakeUser = this.user): Promise<StoredMessage[]> {
    const hit = this.find((l) => l.type === 2 && (typeof label === 'string' ? l.label === label : label.test(l.label ?? '')));
    return this.step(() => this.fake.click(by, this.place, hit.message, hit.leaf.custom_id ?? ''));
  }

  /** Picks these option labels in the newest dropdown that has them all. */
  pick(labels: readonly (string | RegExp)[]): Promise<StoredMessage[]> {
    const matches = (o: { label: string }, l: string | RegExp) => (typeof l === 'string' ? o.label === l : l.test(o.label));
    const hit = this.find((l) => l.type === 3 && labels.every((want) => (l.options ?? []).some((o) => matches(o, want))));
    const values = labels.map((want) => (hit.leaf.options ?? []).find((o) => matches(o, want))?.value ?? '');
    return this.step(() => this.fake.select(this.user, this.place, hit.message, hit.leaf.custom_id ?? '', values));
  }

  /** Clicks a button that opens a modal and returns the modal shown. */
  async open(label: string | RegExp): Promise<ShownModal> {
    const shown = this.fake.modals.length;
    await this.click(label);
    const modal = this.fake.modals[shown];
    if (!modal) throw new Error(`clicking ${String(label)} showed no modal`);
    return modal;
  }

  /** Submits a modal with values by text input id. */
  submit(modal: ShownModal, values: Record<string, string>): Promise<StoredMessage[]> {
    return this.step(() => this.fake.submitModal(this.user, this.place, modal, values));
  }
}
