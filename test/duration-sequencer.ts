import { existsSync, readFileSync } from 'node:fs';
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
 *
 * While CI still compiles re2 in the background (RE2_BUILD_STATUS names a file not written
 * yet, see .ci/run), the files that run gitlab-ci-local (they import
 * test/validators/gitlab-ci-local.ts, which waits for the build) start once about
 * RE2_DEFER_SHARE of the estimated work is under way, so that no worker sits waiting.
 */
const DEFAULT_SECONDS = 5;
const RE2_DEFER_SHARE = 0.45;

const needsRe2 = (file: string): boolean => /\/gitlab-ci-local\.js['"]/.test(readFileSync(file, 'utf8'));

export class DurationSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const root = this.ctx.config.root;
    const durations = JSON.parse(readFileSync(join(root, 'test/durations.json'), 'utf8')) as Record<string, number>;
    const seconds = (f: TestSpecification): number => durations[relative(root, f.moduleId)] ?? DEFAULT_SECONDS;
    const order = base
      .map((f, i) => ({ f, i, s: seconds(f) }))
      .sort((a, b) => b.s - a.s || a.i - b.i);
    const status = process.env['RE2_BUILD_STATUS'];
    if (!status || existsSync(status)) return order.map((x) => x.f);
    const deferred = order.filter((x) => needsRe2(x.f.moduleId));
    const rest = order.filter((x) => !deferred.includes(x));
    const total = order.reduce((n, x) => n + x.s, 0);
    let before = 0;
    let at = rest.findIndex((x) => (before += x.s) >= total * RE2_DEFER_SHARE);
    if (at < 0) at = rest.length;
    return [...rest.slice(0, at + 1), ...deferred, ...rest.slice(at + 1)].map((x) => x.f);
  }
}
