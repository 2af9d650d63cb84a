// Build: regenerate the JSON Schema, compile TypeScript to dist/, and precompile the
// schema validator so `check` never pays for compiling it at run time.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const root = new URL('..', import.meta.url);
rmSync(new URL('dist', root), { recursive: true, force: true });
execFileSync(process.execPath, [new URL('scripts/gen-schema.mjs', root).pathname], { stdio: 'inherit' });
execFileSync(process.execPath, [new URL('node_modules/typescript/bin/tsc', root).pathname, '-p', new URL('tsconfig.json', root).pathname], { stdio: 'inherit' });
