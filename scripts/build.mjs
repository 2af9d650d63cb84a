// Build: regenerate the JSON Schema and compile TypeScript to dist/. Compiles into a
// fresh folder and swaps it in, so a concurrent test run never sees a half-built dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = `${root}dist.build-${process.pid}`;
const old = `${root}dist.old-${process.pid}`;
execFileSync(process.execPath, [`${root}scripts/gen-schema.mjs`], { stdio: 'inherit' });
try {
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.json`, '--outDir', tmp], { stdio: 'inherit' });
} finally {
  if (existsSync(tmp)) {
    if (existsSync(`${root}dist`)) renameSync(`${root}dist`, old);
    renameSync(tmp, `${root}dist`);
    rmSync(old, { recursive: true, force: true });
  }
}
