/** The Slack adapter's entry points, for adapters/main.ts and the reminder worker. */
export { readSlackConfig, SlackConfigError, type SlackConfig } from './config.js';
export { startSlack, BOT_SCOPES, type StartSlackOptions, type RunningSlack } from './app.js';
export { createSlackNotifier, REMINDER_EVENT_TYPE, type SlackNotifierOptions } from './notifier.js';
export { RedisInstallationStore } from './installation-store.js';
