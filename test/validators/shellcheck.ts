import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

/** A `run:` script pulled out of a workflow, with the shell GitHub would use. */
export interface RunScript {
  /** Where it came from, e.g. `jobs.test.steps[3]`. */
  where: string;
  shell: 'bash' | 'sh';
  script: string;
}

/** Stand-in for `${{ … }}`: Actions substitutes expressions before the shell sees the script. */
const EXPRESSION_PLACEHOLDER = 'GH_EXPRESSION';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Map an Actions `shell:` value to a shellcheck dialect; undefined = not a POSIX shell (skip). */
function dialect(shell: unknown): 'bash' | 'sh' | undefined {
  if (shell === undefined || shell === null) return 'bash'; // ubuntu runners default to bash
  const first = String(shell).trim().split(/\s+/)[0] ?? '';
  if (first === 'bash') return 'bash';
  if (first === 'sh') return 'sh';
  return undefined; // pwsh, python, cmd, powershell…
}

function defaultShell(node: unknown): unknown {
  if (!isObj(node) || !isObj(node['defaults']) || !isObj(node['defaults']['run'])) return undefined;
  return node['defaults']['run']['shell'];
}

/**
 * Every `run:` script of a workflow, honouring step `shell:`, then job and workflow
 * `defaults.run.shell`, with `${{ … }}` replaced by a placeholder.
 */
export function extractRunScripts(text: string): RunScript[] {
  const wf = parse(text) as unknown;
  if (!isObj(wf) || !isObj(wf['jobs'])) return [];
  const out: RunScript[] = [];
  for (const [jobId, job] of Object.entries(wf['jobs'])) {
    if (!isObj(job) || !Array.isArray(job['steps'])) continue;
    job['steps'].forEach((step: unknown, i: number) => {
      if (!isObj(step) || typeof step['run'] !== 'string') return;
      const shell = dialect(step['shell'] ?? defaultShell(job) ?? defaultShell(wf));
      if (!shell) return;
      const script = step['run'].replace(/\$\{\{[\s\S]*?\}\}/g, EXPRESSION_PLACEHOLDER);
      out.push({ where: `jobs.${jobId}.steps[${i}]`, shell, script });
    });
  }
  return out;
}

/** shellcheck's minimum severity; `warning` is the project default, `info` adds SC2086 (unquoted expansions). */
export type Severity = 'error' | 'warning' | 'info' | 'style';

function runShellcheck(args: string[], severity: Severity, input?: string): string[] {
  const r = spawnSync('shellcheck', ['-S', severity, '-f', 'gcc', ...args], { encoding: 'utf8', input });
  if (r.error) throw r.error;
  // 0 = clean, 1 = findings; anything else (bad options, unreadable file) is a tool failure.
  if (r.status !== 0 && r.status !== 1) throw new Error(`shellcheck failed (${r.status}): ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}

/**
 * shellcheck (severity `warning` and up by default) every `run:` script in a workflow. Returns one
 * line per finding prefixed with the step it came from (empty = clean).
 */
export async function shellcheckWorkflow(text: string, severity: Severity = 'warning'): Promise<string[]> {
  return shellcheckScripts(extractRunScripts(text), severity);
}

/** shellcheckWorkflow over several workflows with one shellcheck process per dialect: the findings of each, in order. */
export async function shellcheckWorkflows(texts: string[], severity: Severity = 'warning'): Promise<string[][]> {
  const scripts = texts.map((t) => extractRunScripts(t));
  const all = shellcheckScripts(scripts.flatMap((list, i) => list.map((s) => ({ ...s, where: `${i}\0${s.where}` }))), severity);
  return texts.map((_, i) => all.filter((l) => l.startsWith(`${i}\0`)).map((l) => l.slice(`${i}\0`.length)));
}

/**
 * shellcheck many scripts with one shellcheck process per dialect instead of one per script
 * (a process costs ~80 ms; a generated repository has dozens of `run:` scripts). Each script
 * is its own file, and shellcheck checks each file on its own (no -x: nothing is sourced), so
 * the findings are the ones a run per script on stdin gives, in the same order: one line per
 * finding, `<where>: line L:C: …`.
 */
function shellcheckScripts(scripts: RunScript[], severity: Severity): string[] {
  if (scripts.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'devops-init-shellcheck-'));
  try {
    const files = scripts.map((s, i) => {
      const file = join(dir, `${i}.sh`);
      writeFileSync(file, s.script);
      return file;
    });
    const byFile = new Map<string, string[]>(files.map((f) => [f, []]));
    for (const shell of ['bash', 'sh'] as const) {
      const mine = files.filter((_, i) => scripts[i]!.shell === shell);
      if (mine.length === 0) continue;
      for (const line of runShellcheck(['-s', shell, ...mine], severity)) {
        const file = mine.find((f) => line.startsWith(`${f}:`));
        if (!file) throw new Error(`shellcheck: a line names no script: ${line}`);
        byFile.get(file)!.push(`line ${line.slice(file.length + 1)}`);
      }
    }
    return scripts.flatMap((s, i) => byFile.get(files[i]!)!.map((l) => `${s.where}: ${l}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** shellcheck a script file (dialect from its shebang, bash when there is none). */
export async function shellcheckFile(path: string, severity: Severity = 'warning'): Promise<string[]> {
  const first = readFileSync(path, 'utf8').split('\n', 1)[0] ?? '';
  const args = first.startsWith('#!') ? [path] : ['-s', 'bash', path];
  return runShellcheck(args, severity);
}

/** Top-level keys of a GitLab CI file that are not jobs. */
const GITLAB_GLOBAL_KEYS = new Set(['stages', 'variables', 'workflow', 'include', 'default', 'image', 'services', 'cache', 'before_script', 'after_script', 'spec']);

const lines = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap(lines) : typeof v === 'string' ? [v] : []);

/**
 * Every job's script of a GitLab CI file: `before_script` and `script` run in one shell session
 * (a `cd` in one carries into the other), so they are checked together; `after_script` runs in
 * a fresh shell. GitLab does not substitute anything in scripts itself: the shell expands
 * `$VARS`. Checked as POSIX sh, since Alpine images (busybox) have no bash.
 */
export function extractGitlabScripts(text: string): RunScript[] {
  const doc = parse(text) as unknown;
  if (!isObj(doc)) return [];
  const out: RunScript[] = [];
  for (const [name, job] of Object.entries(doc)) {
    if (GITLAB_GLOBAL_KEYS.has(name) || !isObj(job)) continue;
    // The runner starts every script with errexit (and pipefail where the shell has it).
    const main = [...lines(job['before_script']), ...lines(job['script'])];
    if (main.length) out.push({ where: name, shell: 'sh', script: ['set -e', ...main].join('\n') + '\n' });
    const after = lines(job['after_script']);
    if (after.length) out.push({ where: `${name}.after_script`, shell: 'sh', script: ['set -e', ...after].join('\n') + '\n' });
  }
  return out;
}

/** shellcheckScript over many scripts with one shellcheck process: each script's findings, in order. */
export async function shellcheckEachScript(scripts: string[], severity: Severity = 'warning', shell: 'sh' | 'bash' = 'sh'): Promise<string[][]> {
  const all = shellcheckScripts(scripts.map((script, i) => ({ where: String(i), shell, script })), severity);
  return scripts.map((_, i) => all.filter((l) => l.startsWith(`${i}: `)).map((l) => l.slice(`${i}: `.length)));
}

/** shellcheck one POSIX sh script (findings as `line N:…`). */
export async function shellcheckScript(script: string, severity: Severity = 'warning', shell: 'sh' | 'bash' = 'sh'): Promise<string[]> {
  return runShellcheck(['-s', shell, '-'], severity, script).map((line) => line.replace(/^-:/, 'line '));
}

/** shellcheck every job script of a GitLab CI file; one line per finding, prefixed with the job. */
export async function shellcheckGitlab(text: string, severity: Severity = 'warning'): Promise<string[]> {
  return shellcheckScripts(extractGitlabScripts(text), severity);
}

/** shellcheckGitlab over several GitLab CI files with one shellcheck process: the findings of each, in order. */
export async function shellcheckGitlabFiles(texts: string[], severity: Severity = 'warning'): Promise<string[][]> {
  const all = shellcheckScripts(texts.flatMap((t, i) => extractGitlabScripts(t).map((s) => ({ ...s, where: `${i}\0${s.where}` }))), severity);
  return texts.map((_, i) => all.filter((l) => l.startsWith(`${i}\0`)).map((l) => l.slice(`${i}\0`.length)));
}
