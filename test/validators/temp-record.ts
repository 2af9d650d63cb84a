import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Write a rendered `{path: content}` record into a fresh temp dir; returns the dir. */
export function writeRecord(record: Record<string, string>, prefix = 'devops-init-record-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, content] of Object.entries(record)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}

/** Run `fn` on a record written to a temp dir (the dir and the record's paths), then delete the dir. */
export function withRecord<T>(record: Record<string, string>, prefix: string, fn: (dir: string, paths: string[]) => T): T {
  const dir = writeRecord(record, prefix);
  try {
    return fn(dir, Object.keys(record));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
