import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { PreconditionError } from '../errors.js';
import { hashContent } from '../lock/hash.js';
import { unsafePathReason } from '../tree/paths.js';
import { readRegular } from '../tree/read.js';
import { isStale, STATE_DIR, type Holder } from './repo-lock.js';

/**
 * The intent journal: apply writes it before it changes the first file, so a run that
 * dies half-way (SIGKILL, power cut, OOM) can be undone by the next command.
 *
 * A run has two phases. Prepare: new contents go to temp files beside their targets, and
 * every file about to be replaced or deleted gets a backup (a hard link, so no copy) under
 * `.devops-init/backup/<run>/`. Commit: each temp file is renamed over its target (or the
 * target is deleted), the lock last. Then the journal is marked committed and removed with
 * the backups. The journal lists, per file, the hash before and after, the temp file and
 * the backup. Undo restores only files whose bytes are still exactly what this run wrote
 * (a file someone else changed since is left as they made it), removes temp files and the
 * folders the run created.
 */
export const JOURNAL = `${STATE_DIR}/journal.json`;
export const BACKUP_DIR = `${STATE_DIR}/backup`;

export interface JournalOp {
  path: string;
  /** Temp file holding the new content (absent for a delete). */
  tmp?: string;
  /** Copy of the previous content (absent when the file did not exist). */
  backup?: string;
  /** Hashes of the raw bytes before and after; null = no file. */
  before: string | null;
  after: string | null;
}

export interface Journal {
  version: 1;
  run: string;
  pid: number;
  host: string;
  started: string;
  state: 'prepared' | 'committed';
  ops: JournalOp[];
  /** Folders the run creates, parents first. */
  dirs: string[];
}

/** Temp file beside `path`: `.<name>.devops-init-<pid>-<random>.tmp`. */
export function tmpPathFor(path: string, run: string, i: number): string {
  const dir = dirname(path);
  const name = `.${basename(path)}.devops-init-${run}${i.toString(36)}.tmp`;
  return dir === '.' ? name : `${dir}/${name}`;
}

const TMP_RE = /^\..+\.devops-init-(\d+)-[0-9a-z]+\.tmp$/;

export function newRun(): string {
  return `${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** Write the journal atomically (temp file + rename in .devops-init/). */
export function writeJournal(root: string, j: Journal): void {
  const tmp = join(root, STATE_DIR, `.journal.json.${j.run}.tmp`);
  writeFileSync(tmp, JSON.stringify(j) + '\n', { mode: 0o644 });
  renameSync(tmp, join(root, JOURNAL));
}

export function hasJournal(root: string): boolean {
  return lstatSync(join(root, JOURNAL), { throwIfNoEntry: false }) !== undefined;
}

function damaged(why: string): never {
  throw new PreconditionError(
    `${JOURNAL} (left by an interrupted devops-init run) cannot be used: ${why}.`,
    `Check the files it lists with \`git status\` and \`git diff\`, restore what you need from git, then delete ${JOURNAL} and ${BACKUP_DIR}/.`,
  );
}

/** The journal left by an interrupted run, checked as untrusted input (every path stays in the repository). */
export function readJournal(root: string): Journal | undefined {
  const r = readRegular(root, JOURNAL, 64 * 1024 * 1024);
  if (r.kind === 'missing') return undefined;
  if (r.kind === 'refused') damaged(r.reason);
  let j: Journal;
  try {
    j = JSON.parse(r.bytes.toString('utf8')) as Journal;
  } catch (e) {
    damaged(`it is not valid JSON (${(e as Error).message})`);
  }
  if (j?.version !== 1 || !Array.isArray(j.ops) || !Array.isArray(j.dirs) || typeof j.run !== 'string' || !/^[0-9]+-[0-9a-f]+$/.test(j.run)) damaged('unknown format');
  const hash = (h: unknown) => h === null || (typeof h === 'string' && /^sha256-[0-9a-f]{64}$/.test(h));
  for (const op of j.ops) {
    if (typeof op?.path !== 'string' || unsafePathReason(op.path)) damaged(`it lists an unsafe path ${JSON.stringify(op?.path)}`);
    if (!hash(op.before) || !hash(op.after)) damaged(`malformed entry for ${op.path}`);
    if (op.tmp !== undefined && !(typeof op.tmp === 'string' && dirname(op.tmp) === dirname(op.path) && TMP_RE.test(basename(op.tmp)) && !unsafePathReason(op.tmp))) damaged(`malformed temp file for ${op.path}`);
    if (op.backup !== undefined && !(typeof op.backup === 'string' && op.backup.startsWith(`${BACKUP_DIR}/${j.run}/`) && !unsafePathReason(op.backup))) damaged(`malformed backup for ${op.path}`);
  }
  for (const d of j.dirs) if (typeof d !== 'string' || unsafePathReason(d)) damaged(`it lists an unsafe folder ${JSON.stringify(d)}`);
  return j;
}

/** Hash of a file's raw bytes now; null when missing; 'other' when it is not a regular file we may read. */
function currentHash(root: string, path: string): string | null | 'other' {
  const r = readRegular(root, path);
  if (r.kind === 'missing') return null;
  if (r.kind === 'refused') return 'other';
  return hashContent(r.bytes);
}

function rmQuiet(abs: string): void {
  try {
    unlinkSync(abs);
  } catch {
    /* not there */
  }
}

export interface UndoReport {
  /** Files put back as they were before the run. */
  restored: string[];
  /** Files the run had written but someone else changed since: left as they are. */
  leftAlone: string[];
  /** Files the run had written that could not be put back (their backup is kept). */
  failed: string[];
}

/** Undo a run described by `j` (see the module comment). Removes temp files and created folders. */
export function undoRun(root: string, j: Journal): UndoReport {
  const report: UndoReport = { restored: [], leftAlone: [], failed: [] };
  for (const op of [...j.ops].reverse()) {
    if (op.tmp) rmQuiet(join(root, op.tmp));
    if (op.after === op.before) continue;
    const cur = currentHash(root, op.path);
    if (cur === op.before) continue; // never changed by this run
    if (cur !== op.after) {
      report.leftAlone.push(op.path);
      continue;
    }
    try {
      if (op.before === null) unlinkSync(join(root, op.path));
      else if (op.backup) renameSync(join(root, op.backup), join(root, op.path));
      else throw new Error('no backup');
      report.restored.push(op.path);
    } catch {
      report.failed.push(op.path);
    }
  }
  for (const d of [...j.dirs].reverse()) {
    try {
      rmdirSync(join(root, d));
    } catch {
      /* not empty (someone else's files) or gone */
    }
  }
  return report;
}

/**
 * Remove what a finished (or undone) run leaves: temp files, backups, the journal.
 * `tempsRenamed`: the run committed in this process, every temp file is in place already.
 */
export function cleanupRun(root: string, j: Journal, keepBackups = false, tempsRenamed = false): void {
  if (!tempsRenamed) for (const op of j.ops) if (op.tmp) rmQuiet(join(root, op.tmp));
  if (!keepBackups) {
    rmSync(join(root, BACKUP_DIR, j.run), { recursive: true, force: true });
    try {
      rmdirSync(join(root, BACKUP_DIR));
    } catch {
      /* other runs' backups, or none */
    }
    rmQuiet(join(root, JOURNAL));
    // .devops-init/ itself, when the run created it and nothing else lives there now.
    if (j.dirs.includes(STATE_DIR)) {
      try {
        rmdirSync(join(root, STATE_DIR));
      } catch {
        /* the lock, a repository lock or overrides live there */
      }
    }
  }
}

/** What recovery did. */
export interface Recovery {
  /** The interrupted run had committed: only its leftovers were cleaned. */
  completed: boolean;
  report?: UndoReport;
  journal: Journal;
}

/**
 * Finish what an interrupted run left: a committed one is cleaned up, any other is undone.
 * Call with the repository lock held (the journal's writer is then certainly gone). Also
 * removes stale temp files of the journal itself. Returns undefined when there was nothing.
 */
export function recoverInterrupted(root: string): Recovery | undefined {
  sweepTemps(root, [STATE_DIR]);
  const j = readJournal(root);
  if (!j) return undefined;
  if (j.state === 'committed') {
    cleanupRun(root, j);
    return { completed: true, journal: j };
  }
  const report = undoRun(root, j);
  if (report.failed.length) {
    cleanupRun(root, j, true);
    throw new PreconditionError(
      `An interrupted devops-init run (pid ${j.pid}, started ${j.started}) could not be fully undone: ${report.failed.join(', ')} could not be restored.`,
      `Their previous content is in ${BACKUP_DIR}/${j.run}/ (see ${JOURNAL}); fix the cause (permissions?) and run the command again.`,
    );
  }
  cleanupRun(root, j);
  return { completed: false, report, journal: j };
}

/**
 * Remove temp files (`.<name>.devops-init-<pid>-<id>.tmp`, and the journal's own) left in
 * `dirs` by runs whose process is gone — e.g. by a version without the journal, or a crash.
 */
export function sweepTemps(root: string, dirs: Iterable<string>): void {
  const host = hostname();
  for (const d of dirs) {
    let names: string[];
    try {
      names = readdirSync(join(root, d));
    } catch {
      continue;
    }
    for (const name of names) {
      const m = TMP_RE.exec(name) ?? /^\.journal\.json\.(\d+)-[0-9a-f]+\.tmp$/.exec(name);
      if (!m) continue;
      const holder: Holder = { pid: Number(m[1]), host, started: '', command: '', token: '' };
      if (Number(m[1]) !== process.pid && isStale(holder)) rmQuiet(join(root, d, name));
    }
  }
}
