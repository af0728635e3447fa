import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/ensure-redis.ts'],
    // Integration tests spawn redis-server and the console; two cores are plenty busy.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
