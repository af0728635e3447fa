import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Roughly how long each file takes (ms, "project:path"), for a checkout that has run no tests
 * yet: a fresh clone, as CI has, would otherwise start in vitest's order (largest file first)
 * and could leave a slow end-to-end file to run alone at the end. Only the order depends on it;
 * a stale figure costs time, never a test. Refresh it from a run on a quiet machine when the
 * slow files change.
 */
const HINT: Readonly<Record<string, number>> = JSON.parse(readFileSync(new URL('./durations.json', import.meta.url), 'utf8')) as Record<string, number>;

/**
 * Longest file first, whichever project it is in. vitest's own order runs the projects one
 * after another (chatham, unit, then utc) and sorts by time only inside each, so the slowest
 * end-to-end files of 'utc' could start last and run alone at the end while the other workers
 * sat idle. The time is this checkout's last run of the file, else the hint above; a file with
 * neither (a new one) goes first, as vitest does.
 */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const root = this.ctx.config.root;
    const took = (spec: TestSpecification): number => {
      const key = `${spec.project.name}:${relative(root, spec.moduleId)}`;
      return this.ctx.cache.getFileTestResults(key)?.duration ?? HINT[key] ?? Number.POSITIVE_INFINITY;
    };
    const times = new Map(ordered.map((spec) => [spec, took(spec)]));
    // Array.prototype.sort is stable: equal times keep vitest's order.
    return ordered.sort((a, b) => {
      const ta = times.get(a) ?? 0;
      const tb = times.get(b) ?? 0;
      return ta === tb ? 0 : tb > ta ? 1 : -1;
    });
  }
}
