import * as nodeFs from 'node:fs';
import { dirname, join } from 'node:path';
import { InternalError, PreconditionError } from '../errors.js';
import { inspect } from '../tree/disk.js';
import { unsafePathReason } from '../tree/paths.js';

/** One file operation: write `content` (null = delete). */
export interface WriteOp {
  path: string;
  content: string | null;
  executable?: boolean;
}

/** The slice of node:fs that apply uses; tests pass a faulty one to prove rollback. */
export interface ApplyFs {
  writeFileSync(path: string, data: string, options: { mode: number }): void;
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

interface Undo {
  path: string;
  /** Previous content, or undefined when the file did not exist. */
  before?: string;
  mode?: number;
}

/**
 * The only code that writes. Every path is confined to `root` (no absolute paths, no
 * `..`, no symlinks on the way), every file is written atomically (temp file + rename in
 * the same folder), and a failure part-way restores every file already changed and removes
 * folders it created, so a run lands whole or leaves the repository as it was.
 */
export function applyOps(root: string, ops: WriteOp[], fs: ApplyFs = realFs): void {
  // 1. Validate everything before the first write.
  for (const op of ops) {
    const reason = unsafePathReason(op.path);
    if (reason) throw new PreconditionError(`Refusing to write ${JSON.stringify(op.path)}: it ${reason}.`);
    const st = inspect(root, op.path);
    if (st.kind === 'blocked') throw new PreconditionError(`Refusing to write ${op.path}: ${st.reason}.`, 'Nothing was written.');
  }
  const undo: Undo[] = [];
  const createdDirs: string[] = [];
  const failAfter = Number(process.env['DEVOPS_INIT_FAULT_AFTER_WRITES'] ?? NaN);
  let done = 0;
  try {
    for (const op of ops) {
      if (done === failAfter) throw new Error('injected fault (DEVOPS_INIT_FAULT_AFTER_WRITES)');
      const abs = join(root, op.path);
      const st = inspect(root, op.path);
      if (st.kind === 'blocked') throw new Error(st.reason);
      const prev: Undo = { path: abs };
      if (st.kind === 'file') {
        prev.before = st.content;
        prev.mode = st.executable ? 0o755 : 0o644;
      }
      if (op.content === null) {
        if (st.kind === 'file') {
          undo.push(prev);
          fs.unlinkSync(abs);
        }
      } else {
        ensureDir(root, dirname(op.path), fs, createdDirs);
        undo.push(prev);
        writeAtomic(abs, op.content, op.executable ? 0o755 : (prev.mode ?? 0o644), fs);
      }
      done++;
    }
  } catch (e) {
    const failures = rollback(undo, createdDirs, fs);
    const what = (e as Error).message;
    if (failures.length) {
      throw new InternalError(`Writing failed (${what}) and these files could not be restored: ${failures.join(', ')}`);
    }
    throw new PreconditionError(`Writing failed: ${what}. Every file was restored; nothing changed.`, 'Fix the cause and run the command again.');
  }
}

function writeAtomic(abs: string, content: string, mode: number, fs: ApplyFs): void {
  const tmp = join(dirname(abs), `.${abs.split('/').pop()}.devops-init-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    fs.writeFileSync(tmp, content, { mode });
    fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, abs);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* the temp file was never created */
    }
    throw e;
  }
}

function ensureDir(root: string, relDir: string, fs: ApplyFs, created: string[]): void {
  if (relDir === '.' || relDir === '') return;
  let cur = root;
  for (const part of relDir.split('/')) {
    cur = join(cur, part);
    const st = nodeFs.lstatSync(cur, { throwIfNoEntry: false });
    if (!st) {
      fs.mkdirSync(cur);
      created.push(cur);
    } else if (!st.isDirectory() || st.isSymbolicLink()) {
      throw new Error(`${cur} is not a folder`);
    }
  }
}

function rollback(undo: Undo[], createdDirs: string[], fs: ApplyFs): string[] {
  const failures: string[] = [];
  for (const u of [...undo].reverse()) {
    try {
      if (u.before === undefined) {
        if (nodeFs.existsSync(u.path)) fs.unlinkSync(u.path);
      } else {
        writeAtomic(u.path, u.before, u.mode ?? 0o644, realFs);
      }
    } catch {
      failures.push(u.path);
    }
  }
  for (const d of [...createdDirs].reverse()) {
    try {
      fs.rmdirSync(d);
    } catch {
      /* not empty or already gone */
    }
  }
  return failures;
}
