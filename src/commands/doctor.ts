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
import { auditRepo } from './doctor-audit.js';

export interface DoctorOptions extends GlobalOptions {
  /** Exit 1 when the handbook audit finds anything. */
  strict?: boolean;
}

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
export async function runDoctor(opts: DoctorOptions): Promise<number> {
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
      if (specText !== undefined && lock.inputs === undefined) {
        findings.push({ check: 'sync', ok: false, detail: 'the lock does not record what the last render was made from (a file still had unresolved conflict markers, or an older devops-init wrote it)', fix: 'resolve any conflict markers, then devops-init sync' });
      } else if (specText !== undefined && lock.inputs !== inputsDigest(root, specText)) {
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
  // The handbook audit: the repository's files against the handbook's common mistakes and tips.
  const audit = auditRepo(root);
  const auditFails = Boolean(opts.strict) && audit.findings.length > 0;
  if (opts.json) emitJson({ schemaVersion: 1, command: 'doctor', ok: ok && !auditFails, findings, audit });
  else {
    for (const f of findings) say(`  ${f.ok ? chalk.green('✓') : chalk.red('✗')} ${f.check.padEnd(24)} ${f.detail}${f.fix ? chalk.dim(`  → ${f.fix}`) : ''}`);
    say(ok ? chalk.green('Everything looks right.') : chalk.red('Some checks failed; each line says how to fix it.'));
    say('');
    say(`Handbook audit: ${audit.findings.length ? chalk.yellow(`${audit.findings.length} finding(s)`) : chalk.green('no findings')}`);
    for (const f of audit.findings) {
      say(`  ${chalk.yellow('!')} ${f.rule.padEnd(24)} ${f.file}`);
      say(`      ${chalk.dim('why:')} ${f.why}`);
      say(`      ${chalk.dim('fix:')} ${f.fix}`);
    }
    for (const s of audit.skipped) say(`  ${chalk.yellow('?')} ${s.rule.padEnd(24)} ${chalk.dim(s.why)}`);
    if (audit.findings.length && !opts.strict) say(chalk.dim('  (--strict exits 1 on audit findings)'));
  }
  return ok && !auditFails ? 0 : 1;
}
