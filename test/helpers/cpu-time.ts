/**
 * What `work` returns and the CPU time this process spent on it, in ms. A "gives up quickly"
 * budget is about the work (a regex gone quadratic takes seconds of CPU), not the wall clock,
 * which another process sharing the cores can stretch well past the budget.
 */
export function withCpuTime<T>(work: () => T): { result: T; cpuMs: number } {
  const before = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(before);
  return { result, cpuMs: (used.user + used.system) / 1000 };
}
