import { ComponentType, type APIButtonComponent, type APIMessageTopLevelComponent, type APISelectMenuOption, type APIStringSelectComponent, type Message } from 'discord.js';

type Leaf = APIButtonComponent | APIStringSelectComponent;

/** The buttons and string selects of a message, as the API JSON they were sent as. */
function leaves(message: Message | null): Leaf[] {
  if (!message) return [];
  const top = message.components.map((c) => c.toJSON() as APIMessageTopLevelComponent);
  const out: Leaf[] = [];
  for (const row of top) {
    if (row.type !== ComponentType.ActionRow) continue;
    for (const c of row.components) if (c.type === ComponentType.Button || c.type === ComponentType.StringSelect) out.push(c);
  }
  return out;
}

function selectWith(message: Message | null, customId: string): APIStringSelectComponent | undefined {
  return leaves(message).find((c): c is APIStringSelectComponent => c.type === ComponentType.StringSelect && c.custom_id === customId);
}

/** The label of the button with this id, for the "› picked" note. */
export function buttonLabel(message: Message | null, customId: string): string | undefined {
  const hit = leaves(message).find((c) => c.type === ComponentType.Button && 'custom_id' in c && c.custom_id === customId);
  return hit && 'label' in hit ? hit.label : undefined;
}

/** The labels of the picked options of a select. */
export function optionLabels(message: Message | null, customId: string, values: readonly string[]): string[] {
  const options: APISelectMenuOption[] = selectWith(message, customId)?.options ?? [];
  return values.map((v) => options.find((o) => o.value === v)?.label ?? v);
}

/** The options a message's select shows as selected: what the multi's confirm button submits. */
export function shownSelected(message: Message | null, isTheSelect: (customId: string) => boolean): { values: string[]; labels: string[] } {
  const select = leaves(message).find((c): c is APIStringSelectComponent => c.type === ComponentType.StringSelect && isTheSelect(c.custom_id));
  const chosen = (select?.options ?? []).filter((o) => o.default);
  return { values: chosen.map((o) => o.value), labels: chosen.map((o) => o.label) };
}

/** The small-print hint lines of a message: what an input accepts, shown again in its modal. */
export function hintOf(message: Message | null): string | undefined {
  const lines = (message?.content ?? '').split('\n').filter((l) => l.startsWith('-# ')).map((l) => l.slice(3));
  return lines.length ? lines.join(' ') : undefined;
}
