import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest file first, whichever project it is in. vitest's own order runs the projects one
 * after another (chatham, unit, then utc) and sorts by time only inside each, so the slowest
 * end-to-end files of 'utc' could start last and run alone at the end while the other workers
 * sat idle. A file with no time yet (new, or a first run) goes first, as vitest does; with no
 * times at all the order is vitest's.
 */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const root = this.ctx.config.root;
    const took = (spec: TestSpecification): number =>
      this.ctx.cache.getFileTestResults(`${spec.project.name}:${relative(root, spec.moduleId)}`)?.duration ?? Number.POSITIVE_INFINITY;
    const times = new Map(ordered.map((spec) => [spec, took(spec)]));
    // Array.prototype.sort is stable: equal times keep vitest's order.
    return ordered.sort((a, b) => {
      const ta = times.get(a) ?? 0;
      const tb = times.get(b) ?? 0;
      return ta === tb ? 0 : tb > ta ? 1 : -1;
    });
  }
}
