/**
 * `work`'s result, or `fallback` if it fails or takes longer than `ms`. For operator endpoints:
 * a probe or a scrape must answer in time even when what it asks (Redis) does not.
 */
export function within<T>(ms: number, fallback: T, work: () => T | Promise<T>): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    Promise.resolve()
      .then(work)
      .then(resolve, () => resolve(fallback))
      .finally(() => clearTimeout(timer));
  });
}
