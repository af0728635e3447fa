import { availableParallelism } from 'node:os';

// Most files spend their time waiting (child processes, Redis, timers), not computing: with
// vitest's default (cores - 1, so one file at a time here) two cores sat half idle and the run
// took 14 minutes. Three files at once on two cores; more where there are more cores.
// OFFBOARD_TEST_WORKERS overrides it (1 to run the files one by one).
export const TEST_WORKERS = Number(process.env['OFFBOARD_TEST_WORKERS']) || Math.max(3, availableParallelism());
