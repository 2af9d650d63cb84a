import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fileURLToPath } from 'node:url';

/**
 * gitlab-ci-local 4.60.0 (devDependency, the last release that runs on Node 20) validates a
 * pipeline against GitLab's own JSON schema, offline, and evaluates `rules` for the local
 * checkout: `--list` prints the jobs that would run, or "Invalid .gitlab-ci.yml configuration!"
 * with the schema violations and a non-zero exit.
 */
export const GITLAB_CI_LOCAL = fileURLToPath(new URL('../../node_modules/.bin/gitlab-ci-local', import.meta.url));

/**
 * gitlab-ci-local loads re2, a native module that CI compiles (minutes: its prebuilt binary is
 * downloaded from GitHub, unreachable there) in the background while the other tests run
 * (.ci/run). CI names the file the build's exit code will be written to in RE2_BUILD_STATUS;
 * every test file that runs gitlab-ci-local imports this module, so it waits here for the build,
 * and fails if the build failed. Without RE2_BUILD_STATUS (npm ci built it), nothing to wait for.
 */
async function re2Built(): Promise<void> {
  const status = process.env['RE2_BUILD_STATUS'];
  if (!status) return;
  const deadline = Date.now() + 45 * 60_000;
  while (!existsSync(status)) {
    if (Date.now() > deadline) throw new Error(`re2 is still building after 45 minutes (no ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const code = readFileSync(status, 'utf8').trim();
  if (code !== '0') throw new Error(`npm rebuild re2 failed (exit ${code}): gitlab-ci-local cannot run; .ci/run prints its log`);
}
await re2Built();

export interface GitlabCiLocalResult {
  ok: boolean;
  /** Schema or parse errors (empty when ok). */
  errors: string[];
  /** Job names `--list` shows (those whose rules let them run here). */
  jobs: string[];
  output: string;
}

const GIT = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false'];

/**
 * A temporary git repository holding `files`, committed on `branch`, with an `origin` on
 * gitlab.com whose `main` is the first commit (gitlab-ci-local needs a remote-tracking ref of
 * the default branch). `changed` files, when given, are committed after that ref, so
 * `rules:changes` sees them as the push's changes.
 */
export function gitlabRepo(files: Record<string, string>, opts: { branch?: string; changed?: Record<string, string> } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'devops-init-gitlab-'));
  const write = (record: Record<string, string>) => {
    for (const [path, content] of Object.entries(record)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
  };
  const git = (...args: string[]) => execFileSync('git', [...GIT, ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  write(files);
  git('add', '-A');
  git('commit', '-q', '-m', 'pipeline');
  git('remote', 'add', 'origin', 'https://gitlab.com/acme/x.git');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  if (opts.branch && opts.branch !== 'main') git('checkout', '-q', '-b', opts.branch);
  if (opts.changed) {
    write(opts.changed);
    git('add', '-A');
    git('commit', '-q', '-m', 'change');
  }
  return dir;
}

/** `gitlab-ci-local --list` in `dir` (a git repository with the pipeline committed). */
export function listJobs(dir: string, variables: Record<string, string> = {}): GitlabCiLocalResult {
  const args = ['--list', ...Object.entries(variables).flatMap(([k, v]) => ['--variable', `${k}=${v}`])];
  const r = spawnSync(GITLAB_CI_LOCAL, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 60_000 });
  if (r.error) throw r.error;
  const output = `${r.stdout}\n${r.stderr}`;
  const ok = r.status === 0 && !output.includes('Invalid .gitlab-ci.yml');
  const errors = ok ? [] : output.split('\n').filter((l) => /•|Error|error|invalid|Invalid|not expected|must/.test(l)).map((l) => l.trim()).filter(Boolean);
  const jobs: string[] = [];
  if (ok) {
    const lines = r.stdout.split('\n');
    const header = lines.findIndex((l) => /^name\s+description\s+stage/.test(l));
    for (const l of lines.slice(header + 1)) {
      const name = l.split(/\s{2,}/)[0]?.trim();
      if (name) jobs.push(name);
    }
  }
  return { ok, errors: ok ? [] : errors.length ? errors : [output.trim()], jobs, output };
}

/** Validate in-memory pipeline files: write, commit, list, clean up. */
export function validateGitlabPipeline(files: Record<string, string>, opts: { branch?: string; changed?: Record<string, string>; variables?: Record<string, string> } = {}): GitlabCiLocalResult {
  const dir = gitlabRepo(files, opts);
  try {
    return listJobs(dir, opts.variables);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `gitlab-ci-local --preview`: the merged configuration GitLab's own rules give (includes,
 * `extends` and `!reference` resolved; schema-validated first), or the errors.
 */
export function previewPipeline(files: Record<string, string>): { ok: boolean; errors: string[]; merged: Record<string, any> } {
  const dir = gitlabRepo(files);
  try {
    const r = spawnSync(GITLAB_CI_LOCAL, ['--preview'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw r.error;
    const output = `${r.stdout}\n${r.stderr}`;
    const ok = r.status === 0 && !output.includes('Invalid .gitlab-ci.yml');
    if (!ok) return { ok, errors: [output.trim()], merged: {} };
    return { ok, errors: [], merged: parseYaml(r.stdout) as Record<string, any> };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
