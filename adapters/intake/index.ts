export { DurableInbox, type DurableInboxOptions } from './durable-inbox.js';
export { MemoryInbox } from './memory-inbox.js';
export type { Inbox, RunEntry } from './inbox.js';
export type { InboxEntry } from './entry.js';
export { forgetInboxEntries, forgettingInboxEntries } from './forget.js';
export { inboxKeys, INBOX_GROUP, type InboxPlatform } from './keys.js';
