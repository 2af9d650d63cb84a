import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withRecord } from './temp-record.js';

/** The yamllint config shipped with the tests (default rules with the few exceptions documented in it). */
export const YAMLLINT_CONFIG = fileURLToPath(new URL('./yamllint.yml', import.meta.url));

/**
 * Run Debian's yamllint on files; returns one `file:line:col: [level] message (rule)`
 * line per problem, warnings included (empty = clean). Throws if yamllint itself fails.
 */
export function yamllint(files: string[], config: string = YAMLLINT_CONFIG): string[] {
  if (files.length === 0) return [];
  const r = spawnSync('yamllint', ['-f', 'parsable', '-s', '-c', config, ...files], { encoding: 'utf8' });
  if (r.error) throw r.error;
  // 0 = clean, 1 = errors, 2 = warnings (with -s); anything else is a tool failure.
  if (r.status !== 0 && r.status !== 1 && r.status !== 2) {
    throw new Error(`yamllint failed (${r.status}): ${r.stderr}`);
  }
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}

/** Lint in-memory YAML (`{path: content}`) by writing it to a temp folder; paths in findings are repo-relative. */
export function yamllintRecord(files: Record<string, string>, config: string = YAMLLINT_CONFIG): string[] {
  return withRecord(files, 'devops-init-yamllint-', (dir, paths) =>
    yamllint(paths.map((p) => join(dir, p)), config).map((l) => l.split(dir + '/').join('')),
  );
}
