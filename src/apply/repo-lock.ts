import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PreconditionError } from '../errors.js';
import { readRegular } from '../tree/read.js';
import { onExit } from './cancel.js';

/** devops-init's folder in the repository (the lock, run state, template overrides). */
export const STATE_DIR = '.devops-init';
/** Held by the one command writing the repository; see acquireRepoLock. */
export const REPO_LOCK = `${STATE_DIR}/.lock`;

/** Who holds the repository lock. */
export interface Holder {
  pid: number;
  host: string;
  /** ISO time the holder started. */
  started: string;
  command: string;
  /** The kernel's start time of the process (Linux), so a reused pid is not mistaken for the holder. */
  procStart?: string;
  /** Random token: release removes the lock only if it is still this one. */
  token: string;
}

/** The start time of a process in clock ticks since boot (Linux /proc), or undefined elsewhere. */
function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime), counted after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the recorded holder is certainly gone (same machine, process not running or a different one). */
export function isStale(h: Holder): boolean {
  if (h.host !== hostname()) return false;
  if (!alive(h.pid)) return true;
  if (h.procStart !== undefined) {
    const now = procStart(h.pid);
    if (now !== undefined && now !== h.procStart) return true;
  }
  return false;
}

function parseHolder(bytes: Buffer): Holder | undefined {
  try {
    const h = JSON.parse(bytes.toString('utf8')) as Holder;
    return Number.isInteger(h.pid) && typeof h.host === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/** The holder of the repository lock, when a live one holds it (check uses this to say a run is in progress). */
export function liveHolder(root: string): Holder | undefined {
  const r = readRegular(root, REPO_LOCK, 64 * 1024);
  if (r.kind !== 'file') return undefined;
  const h = parseHolder(r.bytes);
  return h && !isStale(h) ? h : undefined;
}

/** An exclusive hold on a repository; `release()` is idempotent and also runs at process exit. */
export interface RepoLock {
  release(): void;
}

/** Make sure `.devops-init/` is a real folder; true when this call created it. */
function ensureStateDir(root: string): boolean {
  const abs = join(root, STATE_DIR);
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (!st) {
    mkdirSync(abs);
    return true;
  }
  if (st.isSymbolicLink() || !st.isDirectory()) {
    throw new PreconditionError(`${STATE_DIR} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; devops-init keeps its lock there and never writes through links.`, `Replace it with a real folder (or restore it from git), then run the command again.`);
  }
  return false;
}

const HELD_HINT = 'Wait for it to finish and run the command again. If no devops-init is running (a crash on another machine sharing this folder), delete';

/**
 * Take the repository's exclusive lock for a writing command: `.devops-init/.lock`, created
 * with O_EXCL, holding pid, host and start time. Held by a live process → exit 1 naming it.
 * Left by a process that is gone (same host, pid not running or reused) → taken over.
 */
export function acquireRepoLock(root: string, command: string): RepoLock {
  const createdDir = ensureStateDir(root);
  const abs = join(root, REPO_LOCK);
  const me: Holder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command, token: randomBytes(8).toString('hex') };
  const ps = procStart(process.pid);
  if (ps !== undefined) me.procStart = ps;
  const text = JSON.stringify(me) + '\n';
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(abs, 'wx', 0o644);
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw lockError(e, abs);
    }
    const r = readRegular(root, REPO_LOCK, 64 * 1024);
    if (r.kind === 'missing') continue; // released between our create and our read
    if (r.kind === 'refused') throw new PreconditionError(`${REPO_LOCK} is not a regular file (${r.reason}).`, `${HELD_HINT} ${REPO_LOCK}.`);
    const h = parseHolder(r.bytes);
    if (!h) {
      // A holder that crashed between creating and filling the file leaves it empty; give a live one a moment.
      const age = Date.now() - (statSync(abs, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age < 5000) throw new PreconditionError(`Another devops-init is starting to write this repository (${REPO_LOCK} was just created).`, `${HELD_HINT} ${REPO_LOCK}.`);
    } else if (!isStale(h)) {
      throw new PreconditionError(
        `Another devops-init (pid ${h.pid} on ${h.host}, ${h.command}, started ${h.started}) is writing this repository; it holds ${REPO_LOCK}.`,
        `${HELD_HINT} ${REPO_LOCK}.`,
      );
    }
    takeOver(abs, r.bytes);
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    removeExit();
    const r = readRegular(root, REPO_LOCK, 64 * 1024);
    if (r.kind === 'file' && parseHolder(r.bytes)?.token === me.token) {
      try {
        unlinkSync(abs);
      } catch {
        /* already gone */
      }
    }
    if (createdDir) {
      try {
        rmdirSync(join(root, STATE_DIR));
      } catch {
        /* not empty: the run wrote the lock file or more */
      }
    }
  };
  const removeExit = onExit(release);
  return { release };
}

/**
 * Remove a stale lock without ever removing a fresh one another process just created:
 * move it aside atomically, and if what was moved is not the stale content we read, put it back.
 */
function takeOver(abs: string, stale: Buffer): void {
  const aside = `${abs}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(abs, aside);
  } catch {
    return; // gone already: someone else took it over
  }
  let moved: Buffer | undefined;
  try {
    moved = readFileSync(aside);
  } catch {
    moved = undefined;
  }
  if (moved && !moved.equals(stale)) {
    try {
      linkSync(aside, abs); // a live lock: restore it (fails if yet another one exists)
    } catch {
      /* another holder exists; ours will fail on EEXIST */
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    /* gone */
  }
}

function lockError(e: unknown, abs: string): PreconditionError {
  return new PreconditionError(`Cannot create ${REPO_LOCK}: ${(e as Error).message.replace(abs, REPO_LOCK)}.`, 'devops-init needs to write in .devops-init/ to work on this repository.');
}
