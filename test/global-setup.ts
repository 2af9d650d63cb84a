import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * End-to-end tests run the built CLI: build once before the suite, unless dist/ was already
 * built from the sources as they are (`scripts/build.mjs --if-changed`: CI builds, and
 * type-checks, before starting vitest; a second run without edits starts at once). tsc still
 * emits when some file has a type error, so a failure here is reported but not fatal;
 * `npm test` type-checks first and fails on any error.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  try {
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-changed'], { cwd: root, stdio: 'pipe' });
  } catch (e) {
    process.stderr.write(`build reported errors (e2e tests may fail):\n${(e as { stdout?: Buffer }).stdout?.toString() ?? e}\n`);
  }
}
