import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Spec } from '../../../src/spec/types.js';
import { renderRecord } from '../../helpers/spec.js';

/** The rendered files under a prefix (e.g. `infra/`), as `{path: content}`. */
export function renderUnder(spec: Spec, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(renderRecord(spec)).filter(([p]) => p.startsWith(prefix)));
}

/** Write a record into a new temporary folder; returns the folder. */
export function writeRecord(record: Record<string, string>, label = 'iac'): string {
  const dir = mkdtempSync(join(tmpdir(), `devops-init-${label}-`));
  for (const [path, content] of Object.entries(record)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
