import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { hasJournal, JOURNAL } from '../apply/journal.js';
import { liveHolder } from '../apply/repo-lock.js';
import { CliError } from '../errors.js';
import { inputsDigest } from '../lock/inputs.js';
import { LOCK_FILE, readLock } from '../lock/lock.js';
import { gitTopLevel } from '../merge/git.js';
import { loadSpec, SPEC_FILE } from '../spec/load.js';
import { chalk, emitJson, say } from '../ui/output.js';
import { VERSION } from '../version.js';
import { repoRoot, type GlobalOptions } from './context.js';

interface Finding {
  check: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/**
 * `devops-init doctor`: is this machine and repository ready for devops-init? Node
 * version, git, devops.yaml, the lock and whether the last sync matches. Read-only.
 */
export async function runDoctor(opts: GlobalOptions): Promise<number> {
  const root = repoRoot(opts);
  const findings: Finding[] = [];
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const nodeOk = major > 20 || (major === 20 && minor >= 12);
  findings.push({ check: 'node', ok: nodeOk, detail: `Node ${process.versions.node}`, ...(nodeOk ? {} : { fix: 'install Node 20.12 or newer' }) });
  const top = await gitTopLevel(root).catch(() => undefined);
  findings.push(top
    ? { check: 'git', ok: true, detail: `git repository at ${top}` }
    : { check: 'git', ok: false, detail: 'not inside a git repository (sync needs git for merges and the dirty-file check)', fix: 'git init (and commit), or run devops-init in the repository' });
  const hasSpec = lstatSync(join(root, SPEC_FILE), { throwIfNoEntry: false }) !== undefined;
  let specText: string | undefined;
  if (!hasSpec) findings.push({ check: SPEC_FILE, ok: false, detail: 'missing', fix: 'devops-init init' });
  else {
    try {
      const loaded = loadSpec(root);
      specText = loaded.text;
      findings.push({ check: SPEC_FILE, ok: true, detail: `valid: ${loaded.spec.services.length} service(s), practices ${loaded.spec.practices.join(', ') || 'none'}` });
    } catch (e) {
      findings.push({ check: SPEC_FILE, ok: false, detail: (e as CliError).message, fix: 'fix the positions named above' });
    }
  }
  try {
    const lock = readLock(root);
    if (!lock) findings.push({ check: LOCK_FILE, ok: !hasSpec ? true : false, detail: 'missing', ...(hasSpec ? { fix: 'devops-init sync' } : {}) });
    else {
      findings.push({ check: LOCK_FILE, ok: true, detail: `${Object.keys(lock.files).length} generated file(s), written by devops-init ${lock.tool}` });
      if (lock.tool !== VERSION) findings.push({ check: 'version', ok: false, detail: `lock written by ${lock.tool}, this is ${VERSION}`, fix: 'devops-init sync (and pin the same version in CI)' });
      if (specText !== undefined && lock.inputs !== inputsDigest(root, specText)) {
        findings.push({ check: 'sync', ok: false, detail: 'devops.yaml or template overrides changed since the last sync', fix: 'devops-init diff, then devops-init sync' });
      }
    }
  } catch (e) {
    findings.push({ check: LOCK_FILE, ok: false, detail: (e as CliError).message, fix: 'restore it from git' });
  }
  const holder = liveHolder(root);
  if (holder) findings.push({ check: 'run', ok: false, detail: `another devops-init (pid ${holder.pid} on ${holder.host}, ${holder.command}) is writing this repository`, fix: 'wait for it to finish' });
  else if (hasJournal(root)) findings.push({ check: 'run', ok: false, detail: `a devops-init run was interrupted part-way (${JOURNAL})`, fix: 'devops-init sync (it undoes the interrupted run first)' });
  const ok = findings.every((f) => f.ok);
  if (opts.json) emitJson({ schemaVersion: 1, command: 'doctor', ok, findings });
  else {
    for (const f of findings) say(`  ${f.ok ? chalk.green('✓') : chalk.red('✗')} ${f.check.padEnd(24)} ${f.detail}${f.fix ? chalk.dim(`  → ${f.fix}`) : ''}`);
    say(ok ? chalk.green('Everything looks right.') : chalk.red('Some checks failed; each line says how to fix it.'));
  }
  return ok ? 0 : 1;
}
