import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A throwaway repository with the given files (removed after each test). A `+x ` prefix on a path marks it executable. */
export function repoWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'detect-'));
  made.push(root);
  for (const [key, text] of Object.entries(files)) {
    const exec = key.startsWith('+x ');
    const rel = exec ? key.slice(3) : key;
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
    if (exec) chmodSync(join(root, rel), 0o755);
  }
  return root;
}

export const json = (v: unknown) => JSON.stringify(v, null, 2);
export const goMain = 'package main\n\nfunc main() {}\n';
