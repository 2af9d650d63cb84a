import { execFileSync } from 'node:child_process';
import { cpSync, lstatSync, readdirSync, readlinkSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { expect } from 'vitest';
import type { Handbook } from '../../src/practices/types.js';
import { resolveWorkflow } from '../practices/ci/workflow-rules.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin/devops-init.js');
export const FIXTURES = join(ROOT, 'test/fixtures');

const made: string[] = [];
export function cleanupRepos(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
}

/** A temporary git repository made from a fixture (or empty), with an origin remote and one commit. */
export function makeRepo(fixture?: string, opts: { remote?: string | false } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `devops-init-e2e-${fixture ?? 'empty'}-`));
  made.push(dir);
  if (fixture) cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  if (opts.remote !== false) git(dir, 'remote', 'add', 'origin', opts.remote ?? 'https://github.com/acme/shop.git');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'initial');
  return dir;
}

export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
}

/** What a run of the CLI gave: exit code (-1 when a signal ended it) and its output as text. */
export interface CliResult {
  exitCode: number;
  /** The signal that ended it, if one did. */
  signal?: string | undefined;
  stdout: string;
  stderr: string;
}

/** Run the built CLI. Never throws on a non-zero exit; stdin is closed (no TTY). */
export async function cli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const r = await execa(process.execPath, [BIN, ...args], { cwd, reject: false, env: { NO_COLOR: '1', ...env }, stdin: 'ignore', timeout: 60_000 });
  return { exitCode: r.exitCode ?? -1, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

export function write(dir: string, path: string, content: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

export function exists(dir: string, path: string): boolean {
  return existsSync(join(dir, path));
}

/**
 * A GitHub workflow of the repository as GitHub runs it: the thin per-service caller with the
 * local reusable workflows it calls expanded into their jobs (`resolveWorkflow`), so a test can
 * assert job names, `needs:` and steps without caring how the files are split.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function resolvedWorkflow(dir: string, path: string): Record<string, any> {
  const folder = '.github/workflows';
  const files = Object.fromEntries(readdirSync(join(dir, folder)).filter((f) => /\.ya?ml$/.test(f)).map((f) => [`${folder}/${f}`, read(dir, `${folder}/${f}`)]));
  return resolveWorkflow(files, path);
}

/** Every file in the work tree (not .git) with its content: for byte-identical checks. */
export function treeSnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: dir, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files.sort()) {
    const st = lstatSync(join(dir, f), { throwIfNoEntry: false });
    out[f] = !st ? '<deleted>' : st.isSymbolicLink() ? `<link to ${readlinkSync(join(dir, f))}>` : readFileSync(join(dir, f), 'utf8');
  }
  return out;
}

/** Run the CLI in a real pseudo-terminal, answering prompts: steps are [regex, keys]. */
export async function cliPty(cwd: string, args: string[], steps: [string, string][]): Promise<{ exitCode: number; output: string }> {
  const r = await execa('python3', [join(ROOT, 'test/e2e/pty_driver.py'), JSON.stringify(steps), '--', process.execPath, BIN, ...args], { cwd, reject: false, env: { NO_COLOR: '1' }, timeout: 120_000 });
  return { exitCode: r.exitCode ?? -1, output: r.stdout };
}

/** Whitespace-insensitive: explain wraps long paragraphs. */
export const flat = (s: string): string => s.replace(/\s+/g, ' ');

/** `explain` output carries every part of a practice's handbook. */
export function expectHandbook(output: string, title: string, h: Handbook): void {
  const out = flat(output);
  expect(out).toContain(title);
  for (const text of [h.summary, h.what, h.why, ...h.pros, ...h.cons, h.bestFor, ...(h.notes ?? [])]) {
    expect(out).toContain(flat(text));
  }
}
