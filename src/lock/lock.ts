import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpecError } from '../errors.js';
import type { Ownership } from '../spec/types.js';
import { PRACTICE_IDS, type PracticeId } from '../spec/types.js';
import { unsafePathReason } from '../tree/paths.js';

export const LOCK_FILE = '.devops-init/lock.json';

export interface LockEntry {
  practice: PracticeId;
  ownership: Ownership;
  /** Hash of the last render (not of the file on disk after merges). */
  hash: string;
}

/**
 * `.devops-init/lock.json`, committed with the repo. Holds what the last render was made
 * from (tool version and a snapshot of devops.yaml) and each generated file's render hash.
 * The snapshot lets sync re-create the exact last render as the merge base in any clone.
 */
export interface Lock {
  version: 1;
  tool: string;
  practices: PracticeId[];
  /** devops.yaml as data at the last render. */
  spec: Record<string, unknown>;
  files: Record<string, LockEntry>;
  /** Paths that existed before devops-init and are left to the team (never written). */
  skipped: string[];
  /** inputsDigest() of the last render's inputs (tool version, devops.yaml text, overrides). */
  inputs?: string;
}

export function emptyLock(tool: string): Lock {
  return { version: 1, tool, practices: [], spec: {}, files: {}, skipped: [] };
}

/** Stable, reviewable JSON: sorted file keys, two-space indent, trailing newline. */
export function serializeLock(lock: Lock): string {
  const files: Record<string, LockEntry> = {};
  for (const k of Object.keys(lock.files).sort()) {
    const e = lock.files[k]!;
    files[k] = { practice: e.practice, ownership: e.ownership, hash: e.hash };
  }
  const ordered = { version: lock.version, tool: lock.tool, inputs: lock.inputs, practices: lock.practices, files, skipped: [...lock.skipped].sort(), spec: lock.spec };
  return JSON.stringify(ordered, null, 2) + '\n';
}

function bad(message: string): never {
  throw new SpecError([{ file: LOCK_FILE, line: 1, col: 1, message, fix: 'restore it from git (`git checkout -- .devops-init/lock.json`) or delete it and run `devops-init sync` (hand edits then show as conflicts)' }]);
}

/** Parse the lock as untrusted input: shape, practice ids, hashes and paths are all checked. */
export function parseLock(text: string): Lock {
  let data: any;
  try {
    data = JSON.parse(text);
  } catch (e) {
    bad(`the lock is not valid JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || data.version !== 1) bad('the lock has an unknown format (expected "version": 1)');
  if (typeof data.tool !== 'string') bad('the lock has no tool version');
  const practices = Array.isArray(data.practices) ? data.practices : bad('the lock has no practices list');
  for (const p of practices) if (!PRACTICE_IDS.includes(p)) bad(`the lock names an unknown practice ${JSON.stringify(p)}`);
  const files: Record<string, LockEntry> = {};
  for (const [path, e] of Object.entries<any>(data.files ?? {})) {
    const reason = unsafePathReason(path);
    if (reason) bad(`the lock lists ${JSON.stringify(path)}, which ${reason}`);
    if (!e || !PRACTICE_IDS.includes(e.practice) || !['managed', 'seeded'].includes(e.ownership) || !/^sha256-[0-9a-f]{64}$/.test(e.hash)) {
      bad(`the lock entry for ${path} is malformed`);
    }
    files[path] = { practice: e.practice, ownership: e.ownership, hash: e.hash };
  }
  const skipped: string[] = [];
  for (const p of Array.isArray(data.skipped) ? data.skipped : []) {
    if (typeof p !== 'string' || unsafePathReason(p)) bad(`the lock's skipped list has an unsafe path ${JSON.stringify(p)}`);
    skipped.push(p);
  }
  const spec = typeof data.spec === 'object' && data.spec !== null && !Array.isArray(data.spec) ? data.spec : {};
  const lock: Lock = { version: 1, tool: data.tool, practices, spec, files, skipped };
  if (typeof data.inputs === 'string' && /^sha256-[0-9a-f]{64}$/.test(data.inputs)) lock.inputs = data.inputs;
  return lock;
}

export function readLock(root: string): Lock | undefined {
  const p = join(root, LOCK_FILE);
  if (!existsSync(p)) return undefined;
  return parseLock(readFileSync(p, 'utf8'));
}
