import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFindings, lintWorkflow } from '../validators/actionlint.js';
import { shellcheckWorkflow } from '../validators/shellcheck.js';
import { parseWithGitHub } from '../validators/workflow-parser.js';
import { yamllint } from '../validators/yamllint.js';

/** Files git sees in the work tree (tracked or not, not ignored). */
export function repoFiles(dir: string): string[] {
  return execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: dir, encoding: 'utf8' }).split('\0').filter(Boolean);
}

/**
 * Run the external validators over what a command generated in `dir`: every workflow
 * through actionlint, GitHub's parser and shellcheck; every YAML file through yamllint.
 * Returns the problems (empty = clean).
 */
export async function validateGenerated(dir: string, only?: (path: string) => boolean): Promise<string[]> {
  const files = repoFiles(dir).filter((f) => (only ? only(f) : true));
  const problems: string[] = [];
  for (const f of files.filter((f) => /^\.github\/workflows\/.*\.ya?ml$/.test(f))) {
    const text = readFileSync(join(dir, f), 'utf8');
    problems.push(...formatFindings(f, await lintWorkflow(text, f)));
    problems.push(...(await parseWithGitHub(text, f)).map((m) => `${f}: github parser: ${m}`));
    problems.push(...(await shellcheckWorkflow(text)).map((m) => `${f}: shellcheck: ${m}`));
  }
  const yamls = files.filter((f) => /\.ya?ml$/.test(f) && !f.includes('pnpm-lock') && !f.startsWith('test/'));
  problems.push(...yamllint(yamls.map((f) => join(dir, f))));
  return problems;
}
