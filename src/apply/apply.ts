import * as nodeFs from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { CancelledError, PreconditionError } from '../errors.js';
import { hashContent } from '../lock/hash.js';
import { inspect, type DiskState } from '../tree/disk.js';
import { unsafePathReason } from '../tree/paths.js';
import { errnoWords } from '../tree/read.js';
import { beginWriting, committed, idle, yieldForSignals } from './cancel.js';
import { afterWrite, beforeWrite } from './faults.js';
import { BACKUP_DIR, cleanupRun, newRun, sweepTemps, tmpPathFor, undoRun, writeJournal, type Journal, type JournalOp, type UndoReport } from './journal.js';
import { STATE_DIR } from './repo-lock.js';

/** One file operation: write `content` (raw bytes or UTF-8 text; null = delete). */
export interface WriteOp {
  path: string;
  content: string | Buffer | null;
  executable?: boolean;
}

/** The slice of node:fs that apply uses to change files; tests pass a faulty one to prove rollback. */
export interface ApplyFs {
  writeFileSync(path: string, data: string | Buffer, options: { mode: number }): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  mkdirSync(path: string): void;
  rmdirSync(path: string): void;
  chmodSync(path: string, mode: number): void;
}

const realFs: ApplyFs = {
  writeFileSync: (p, d, o) => nodeFs.writeFileSync(p, d, { mode: o.mode, flag: 'wx' }),
  renameSync: nodeFs.renameSync,
  unlinkSync: nodeFs.unlinkSync,
  mkdirSync: (p) => nodeFs.mkdirSync(p),
  rmdirSync: nodeFs.rmdirSync,
  chmodSync: nodeFs.chmodSync,
};

interface Step {
  op: JournalOp;
  content: Buffer | null;
  mode: number;
}

/** The mode to write: an existing file keeps its own (0444 stays 0444); new files 0644, or 0755 when executable. */
function modeFor(existing: number | undefined, executable: boolean | undefined): number {
  if (existing === undefined) return executable ? 0o755 : 0o644;
  const m = existing & 0o777;
  return executable ? m | ((m & 0o444) >> 2) : m;
}

/**
 * The process umask, read without changing it for good (process.umask() with no argument is
 * deprecated): set it to itself. 0o777 when it cannot be read, so every mode is set exactly.
 */
function currentUmask(): number {
  try {
    const m = process.umask(0o022);
    process.umask(m);
    return m;
  } catch {
    return 0o777; // worker threads cannot change it
  }
}

/** Folders (repo-relative, parents first) that writing `paths` needs and that do not exist yet. */
function missingDirs(root: string, paths: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (seen.has(d)) continue;
      seen.add(d);
      const st = nodeFs.lstatSync(join(root, d), { throwIfNoEntry: false });
      if (!st) out.push(d);
      else if (st.isSymbolicLink() || !st.isDirectory()) throw new PreconditionError(`Refusing to write ${p}: ${d} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}.`, 'Nothing was written.');
    }
  }
  return out;
}

function backupCopy(src: string, dest: string): void {
  try {
    nodeFs.linkSync(src, dest);
  } catch {
    // No hard links here (another file system, or a file system without them): copy.
    nodeFs.copyFileSync(src, dest);
  }
}

/**
 * The only code that writes. Every path is confined to `root` (no absolute paths, no `..`,
 * no `.git`, no symlinks on the way); the run is journalled (see journal.ts) and
 * all-or-nothing: it prepares every new file as a temp file beside its target, then renames
 * them into place, the lock last. Any failure, or Ctrl-C, between two writes undoes what
 * the run already wrote — only files still holding this run's bytes — and says exactly
 * that; a SIGKILL is undone by the next command from the journal. File modes are kept.
 */
export async function applyOps(root: string, ops: WriteOp[], fs: ApplyFs = realFs): Promise<void> {
  // 1. Validate everything before the first write (one pass: each folder is lstat'ed once).
  const seen: DiskState[] = [];
  const checkedDirs = new Set<string>();
  for (const op of ops) {
    const reason = unsafePathReason(op.path);
    if (reason) throw new PreconditionError(`Refusing to write ${JSON.stringify(op.path)}: it ${reason}.`);
    const st = inspect(root, op.path, checkedDirs);
    if (st.kind === 'blocked') throw new PreconditionError(`Refusing to write ${op.path}: ${st.reason}.`, 'Nothing was written.');
    seen.push(st);
  }
  const run = newRun();
  const steps: Step[] = [];
  ops.forEach((o, i) => {
    const disk = seen[i]!;
    const before = disk.kind === 'file' ? disk.bytes : null;
    const content = o.content === null ? null : typeof o.content === 'string' ? Buffer.from(o.content, 'utf8') : o.content;
    if (content === null && before === null) return; // deleting what is already gone
    const op: JournalOp = { path: o.path, before: before && hashContent(before), after: content && hashContent(content) };
    if (content !== null) op.tmp = tmpPathFor(o.path, run, i);
    if (before !== null) op.backup = `${BACKUP_DIR}/${run}/${i}`;
    steps.push({ op, content, mode: modeFor(disk.kind === 'file' ? disk.mode : undefined, o.executable) });
  });
  const stateDirMissing = !nodeFs.existsSync(join(root, STATE_DIR));
  const dirs = [...(stateDirMissing ? [STATE_DIR] : []), ...missingDirs(root, steps.filter((s) => s.content !== null).map((s) => s.op.path)).filter((d) => d !== STATE_DIR)];
  const journal: Journal = { version: 1, run, pid: process.pid, host: hostname(), started: new Date().toISOString(), state: 'prepared', ops: steps.map((s) => s.op), dirs };
  // Leftovers of runs that died before this journal existed (older versions, crashes).
  sweepTemps(root, new Set(steps.map((s) => dirname(s.op.path))));

  // 2. Journal, then prepare: folders, temp files, backups. Nothing visible changes yet.
  let doing = 'start';
  const umask = currentUmask();
  beginWriting();
  try {
    if (stateDirMissing) nodeFs.mkdirSync(join(root, STATE_DIR));
    writeJournal(root, journal);
    for (const d of dirs) {
      if (d === STATE_DIR) continue;
      doing = `create the folder ${d}`;
      fs.mkdirSync(join(root, d));
    }
    if (steps.some((s) => s.op.backup)) nodeFs.mkdirSync(join(root, BACKUP_DIR, run), { recursive: true });
    for (const [i, s] of steps.entries()) {
      if (i % 16 === 0 && (await yieldForSignals())) throw new CancelledError();
      if (s.content !== null) {
        doing = `write ${s.op.path}`;
        const tmp = join(root, s.op.tmp!);
        fs.writeFileSync(tmp, s.content, { mode: s.mode });
        // The umask may have taken bits off the mode asked for at creation: set it exactly.
        if ((s.mode & ~umask) !== s.mode) fs.chmodSync(tmp, s.mode);
      }
      if (s.op.backup) {
        doing = `keep a backup of ${s.op.path}`;
        backupCopy(join(root, s.op.path), join(root, s.op.backup));
      }
    }

    // 3. Commit: one rename (or delete) per file, the lock last; Ctrl-C is honoured between them.
    for (const s of steps) {
      if (await yieldForSignals()) throw new CancelledError();
      doing = s.content === null ? `delete ${s.op.path}` : `write ${s.op.path}`;
      beforeWrite();
      if (s.content === null) fs.unlinkSync(join(root, s.op.path));
      else fs.renameSync(join(root, s.op.tmp!), join(root, s.op.path));
      afterWrite();
    }
    if (await yieldForSignals()) throw new CancelledError();
    journal.state = 'committed';
    doing = 'finish the run';
    writeJournal(root, journal);
  } catch (e) {
    const report = undoRun(root, journal);
    cleanupRun(root, journal, report.failed.length > 0);
    idle();
    throw failure(e, doing, report, journal);
  }
  committed();
  // 4. Clean up (best effort: a leftover is cleaned by the next command's recovery). Every
  // temp file was renamed into place, so only the backups and the journal are left.
  try {
    cleanupRun(root, journal, false, true);
  } catch {
    /* the next command's recovery removes what is left */
  }
}

/** The error to show after an undo: what failed, and what the undo really did. */
function failure(e: unknown, doing: string, report: UndoReport, journal: Journal): Error {
  const undone = report.restored.length;
  const outcome = report.failed.length
    ? `These files could not be restored: ${report.failed.join(', ')} (their previous content is kept in ${BACKUP_DIR}/${journal.run}/; the next devops-init command tries again).`
    : report.leftAlone.length
      ? `Every file this run had written was restored, except ${report.leftAlone.join(', ')}, which something else changed meanwhile and was left as it is.`
      : undone
        ? 'Every file was restored; nothing changed.'
        : 'Every file was restored; nothing changed (no file had been written yet).';
  if (e instanceof CancelledError) {
    return new CancelledError(`Cancelled while writing: ${undone ? `the ${undone} file(s) already written were restored` : 'no file had been written yet'}${report.failed.length || report.leftAlone.length ? `. ${outcome}` : '; nothing changed.'}`);
  }
  const what = (e as Error)?.message?.startsWith('injected fault') ? (e as Error).message : `could not ${doing}: ${errnoWords(e)}`;
  return new PreconditionError(`Writing failed: ${what}. ${outcome}`, report.failed.length ? 'Fix the cause (permissions, disk space), then run the command again.' : 'Fix the cause and run the command again.');
}
