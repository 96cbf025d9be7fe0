// The order test files start in. With two workers, a long file started last runs alone at the
// end while the other worker idles; started first, it overlaps everything else. Vitest's own
// order (the last run's durations from its cache, else file size, one project after the other)
// knows nothing on a fresh checkout, where `npm ci` has just emptied node_modules/.vite, and
// keeps the runtime tests apart from the unit tests. This one starts the known long files first,
// longest first, then the rest by their last duration, whatever their project.
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Seconds of CPU each takes alone on the 2-core development machine (what matters is the
 *  order). */
const LONG: Record<string, number> = {
  'test/parity/properties-shared.test.ts': 14,
  'test/reference/properties.test.ts': 14,
  'test/parity/properties-fresh.test.ts': 12,
  'test/parity/large.test.ts': 11,
  'test/controls/order.test.ts': 9,
  'test/reference/large.test.ts': 7,
  'test/controls/top-p.test.ts': 7,
  'test/runtimes/node.runtime.ts': 7,
  'test/runtimes/chromium.runtime.ts': 6,
  'test/runtimes/demo.runtime.ts': 6,
  'test/runtimes/hermes.runtime.ts': 5,
};

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const byCache = await super.sort(files);
    const root = this.ctx.config.root;
    const weight = (spec: TestSpecification) => {
      const file = relative(root, spec.moduleId);
      const last = this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`)?.duration;
      return LONG[file] ?? (last === undefined ? 0 : last / 1000);
    };
    const w = new Map(byCache.map((spec) => [spec, weight(spec)]));
    return byCache.sort((a, b) => w.get(b)! - w.get(a)!);
  }
}
