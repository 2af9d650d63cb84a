import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withRecord } from './temp-record.js';

/** The markdownlint-cli2 config shipped with the tests (default rules; each exception justified in it). */
export const MARKDOWNLINT_CONFIG = fileURLToPath(new URL('./.markdownlint-cli2.jsonc', import.meta.url));
/** The same rules for issue bodies (issue templates, the drill body), minus MD041: the issue title is their heading. */
export const MARKDOWNLINT_ISSUE_BODY_CONFIG = fileURLToPath(new URL('./.markdownlint-cli2.issue-body.jsonc', import.meta.url));
const BIN = fileURLToPath(new URL('../../node_modules/.bin/markdownlint-cli2', import.meta.url));

/**
 * Run markdownlint-cli2 (the npm devDependency) on files; returns one
 * `file:line[:col] rule/alias description` line per problem (empty = clean).
 * Throws if the tool itself fails (exit code other than 0 = clean, 1 = findings).
 */
export function markdownlint(files: string[], config: string = MARKDOWNLINT_CONFIG, cwd?: string): string[] {
  if (files.length === 0) return [];
  // --no-globs: every argument is a literal path (generated names may hold glob characters).
  const r = spawnSync(BIN, ['--config', config, '--no-globs', ...files], { encoding: 'utf8', cwd, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1) throw new Error(`markdownlint-cli2 failed (${r.status}): ${r.stderr}`);
  // Findings go to stderr; the summary lines ("Finding: …", "Linting: …", "Summary: …") to stdout.
  return r.stderr.split('\n').filter((l) => /^\S.*:\d+/.test(l));
}

/** Lint in-memory markdown (`{path: content}`) by writing it to a temp folder; paths in findings are repo-relative. */
export function markdownlintRecord(files: Record<string, string>, config: string = MARKDOWNLINT_CONFIG): string[] {
  return withRecord(files, 'devops-init-markdownlint-', (dir, paths) => markdownlint(paths, config, dir));
}
