import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest test files first, across all projects, from durations measured on CI
 * (test/durations.json, written by `node scripts/test-durations.mjs <vitest json report>`).
 *
 * Vitest's own order runs one project after the other (alphabetically: e2e, unit, validators)
 * and, on a clean clone where it has no cache of past durations, the largest files first
 * within each. The slowest files (Terraform, the e2e validators) then start late, and one
 * worker runs them alone while the other has finished. Longest first (LPT scheduling) lets
 * both workers end together. A file not in the table (a new one) counts DEFAULT_SECONDS;
 * ties keep Vitest's order. Order only: every file runs.
 */
const DEFAULT_SECONDS = 5;

export class DurationSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const root = this.ctx.config.root;
    const durations = JSON.parse(readFileSync(join(root, 'test/durations.json'), 'utf8')) as Record<string, number>;
    const seconds = (f: TestSpecification): number => durations[relative(root, f.moduleId)] ?? DEFAULT_SECONDS;
    return base
      .map((f, i) => ({ f, i, s: seconds(f) }))
      .sort((a, b) => b.s - a.s || a.i - b.i)
      .map((x) => x.f);
  }
}
