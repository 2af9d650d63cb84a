import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  const dir = mkdtempSync(join(tmpdir(), 'devops-init-yamllint-'));
  try {
    const paths: string[] = [];
    for (const [path, content] of Object.entries(files)) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      paths.push(full);
    }
    return yamllint(paths, config).map((l) => l.split(dir + '/').join(''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
