import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig, type Plugin } from 'vitest/config';
import { DurationSequencer } from './test/duration-sequencer.js';

/**
 * Three projects, all run by `npm test` (in parallel, one worker per core):
 * - unit: engine, spec, detection, the model and practices rendered in memory, golden trees,
 *   architecture rules — seconds, no external tool;
 * - validators: real validators written by others on generated output, and the practice tests
 *   that run them (actionlint, shellcheck, yamllint, kubectl kustomize, promtool, amtool…);
 * - e2e: the built CLI in temporary git repositories.
 * Run one alone: `npm run test:unit`, `npm run test:validators`, `npm run test:e2e`.
 */

// The inlined @actions/workflow-parser ships source maps pointing at files it does not
// publish; load it without them so vite does not warn once per module.
const workflowParserWithoutSourcemaps: Plugin = {
  name: 'workflow-parser-without-sourcemaps',
  load(id) {
    if (!id.includes('/@actions/workflow-parser/dist/') || !id.endsWith('.js')) return null;
    return readFileSync(id.split('?')[0]!, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
  },
};

const shared = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // Each test file in a fresh worker process (vitest's default, isolate: true). isolate: false
  // (one process per worker, file after file) saved about a third of the unit project's time, but
  // a full run failed once with it: actionlint's WebAssembly runtime (a process-wide Go instance)
  // had exited when a later file in the same process called it. Test files still restore the
  // global state they change, so the switch can be tried again once that runtime is per file.
  // The Go validators (promtool, terraform and its AWS provider, kubectl, amtool) collect garbage
  // half as often (GOGC=200, the default is 100). Measured here: CPU per run -12% for promtool's
  // rule tests (the largest validator cost: every monitoring test and validateAll run them) and
  // -6% for terraform test; promtool's peak memory 66 -> 88 MB. The tools' results do not change.
  env: { GOGC: process.env['GOGC'] ?? '200' },
  // @actions/workflow-parser imports JSON without an import attribute; inlining lets vite load it.
  server: { deps: { inline: ['@actions/workflow-parser'] } },
};

export default defineConfig({
  plugins: [workflowParserWithoutSourcemaps],
  test: {
    pool: 'forks',
    // One worker per core, at least two. Vitest's default (cores - 1) leaves one worker on a
    // 2-core CI machine, where most tests wait on a child process (the CLI, a validator):
    // measured on 2 cores, the suite used under one core on average.
    maxWorkers: Math.max(2, availableParallelism()),
    // Longest files first, across projects (test/durations.json), so the workers finish together.
    sequence: { sequencer: DurationSequencer },
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        plugins: [workflowParserWithoutSourcemaps],
        test: {
          ...shared,
          name: 'unit',
          include: ['test/{engine,detect,ask,spec,lock,architecture,golden,faults}/**/*.test.ts', 'src/**/*.test.ts'],
        },
      },
      {
        plugins: [workflowParserWithoutSourcemaps],
        test: { ...shared, name: 'validators', include: ['test/{validators,practices}/**/*.test.ts'] },
      },
      {
        plugins: [workflowParserWithoutSourcemaps],
        test: { ...shared, name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000 },
      },
      {
        // Opt-in: real public repositories checked out under $REAL_REPOS (skipped without it).
        plugins: [workflowParserWithoutSourcemaps],
        test: { ...shared, name: 'real', include: ['test/real/**/*.test.ts'], testTimeout: 600_000 },
      },
    ],
  },
});
