/** The Discord adapter: what the bot process and the reminder worker wire up. */
export { readDiscordConfig, type DiscordConfig } from './config.js';
export { startDiscord, type DiscordBot, type StartDiscordOptions } from './start.js';
export { createDiscordNotifier } from './notifier.js';
export { redisPartProgress, type PartProgress } from './part-progress.js';
export { RedisFormMemory, type FormMemory } from './form-memory.js';
