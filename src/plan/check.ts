import { hashContent } from '../lock/hash.js';
import type { Lock } from '../lock/lock.js';
import { hasMarker } from '../render/marker.js';
import { diskHash, hasConflictMarkers, sameAsRender } from '../tree/eol.js';
import { inspect } from '../tree/disk.js';
import { lstatRegular } from '../tree/read.js';
import type { StatCache } from '../tree/stat-cache.js';
import type { FileOwner, Tree } from '../tree/tree.js';

/**
 * check's verdict for one managed file (DESIGN.md):
 * clean · edited (hand edits on a current render) · stale (devops.yaml or the tool changed
 * and nobody ran sync) · missing · orphaned (locked, no longer rendered) · blocked (symlink).
 */
export type CheckState = 'clean' | 'edited' | 'conflict' | 'stale' | 'missing' | 'orphaned' | 'blocked';

export interface CheckItem {
  path: string;
  practice: FileOwner;
  state: CheckState;
  /** The command that fixes it, for failing states. */
  fix?: string;
  note?: string;
}

export const FAILING: ReadonlySet<CheckState> = new Set(['conflict', 'stale', 'missing', 'orphaned', 'blocked']);

/** Hand edits, or unresolved conflict markers (sync's or git's own). Line endings do not count as edits. */
function editedState(path: string, bytes: Buffer): Pick<CheckItem, 'state' | 'note' | 'fix'> {
  return hasConflictMarkers(bytes)
    ? { state: 'conflict', note: 'has unresolved conflict markers', fix: `resolve the <<<<<<< markers in ${path}` }
    : { state: 'edited', note: 'edited by hand; sync keeps the edits', fix: `devops-init diff ${path}` };
}

function blocked(path: string, practice: FileOwner, reason: string): CheckItem {
  return { path, practice, state: 'blocked', note: reason, fix: `make ${path} a regular, readable file (no link), then run devops-init sync` };
}

/**
 * check without rendering, for when the render inputs are unchanged since the last sync
 * (see lock/inputs.ts): the lock's hashes are then exactly the current render's.
 */
/** A seeded file the lock lists is gone from disk: check must render to know whether the setup needs it. */
export function seededMissing(root: string, lock: Lock): boolean {
  const skipped = new Set(lock.skipped);
  const dirs = new Set<string>();
  // Existence only (a link or a folder there is not "missing"): lstat, never a read.
  return Object.entries(lock.files).some(([path, e]) => e.ownership === 'seeded' && !skipped.has(path) && lstatRegular(root, path, dirs).kind === 'missing');
}

/**
 * `cache` (optional, never under --strict): a file whose stat is the one it was hashed at is
 * not read again (tree/stat-cache.ts); files read are remembered for the next run.
 */
export function checkAgainstLock(root: string, lock: Lock, cache?: StatCache): CheckItem[] {
  const items: CheckItem[] = [];
  const skipped = new Set(lock.skipped);
  const dirs = new Set<string>();
  // Files are hashed as soon as they are read: one buffer serves them all (no garbage per file).
  const scratch = Buffer.allocUnsafe(1 << 20);
  for (const path of Object.keys(lock.files).sort()) {
    const entry = lock.files[path]!;
    if (entry.ownership === 'seeded' || skipped.has(path)) continue;
    const base = { path, practice: entry.practice };
    const known = cache?.unchanged(root, path, entry.hash, dirs);
    if (known === true) {
      items.push({ ...base, state: 'clean' });
      continue;
    }
    const disk = inspect(root, path, dirs, scratch);
    if (disk.kind === 'blocked') items.push(blocked(path, entry.practice, disk.reason));
    else if (disk.kind === 'missing') items.push({ ...base, state: 'missing', fix: 'devops-init sync' });
    else {
      const hash = diskHash(disk.bytes);
      known?.(hash);
      if (hash === entry.hash) items.push({ ...base, state: 'clean' });
      else items.push({ ...base, ...editedState(path, disk.bytes) });
    }
  }
  return items;
}

/**
 * Compare the in-memory render with the lock and the disk. Never writes, never spawns a
 * process, needs no git history (works in a shallow CI clone). The lock is untrusted: a
 * file it lists as the team's ("skipped") that the render manages and that still carries
 * devops-init's marker is checked like any managed file. `cache`: as for checkAgainstLock.
 * `sync`: the command a stale, missing or orphaned file's fix names (`check --strict` names the
 * sync that renders everything, since plain sync trusts the lock as plain check does).
 */
export function checkTree(root: string, tree: Tree, lock: Lock, cache?: StatCache, sync = 'devops-init sync'): CheckItem[] {
  const items: CheckItem[] = [];
  const skipped = new Set(lock.skipped);
  const dirs = new Set<string>();
  for (const path of tree.paths()) {
    const file = tree.get(path)!;
    if (file.ownership === 'seeded') {
      // A seeded file is the team's; one the setup needs (an alert's runbook) must still exist.
      if (file.required && !skipped.has(path) && inspect(root, path, dirs).kind === 'missing') {
        items.push({ path, practice: file.practice, state: 'missing', note: 'an alert links this runbook, and it is gone', fix: `devops-init sync re-seeds it (or write ${path})` });
      }
      continue;
    }
    const entry = Object.hasOwn(lock.files, path) ? lock.files[path] : undefined;
    const base = { path, practice: file.practice };
    const renderHash = file.hash ?? hashContent(file.content);
    // The render is the lock's and the file's stat is the one it was hashed at: clean, unread.
    const known = cache && entry?.hash === renderHash && !skipped.has(path) ? cache.unchanged(root, path, renderHash, dirs) : undefined;
    if (known === true) {
      items.push({ ...base, state: 'clean' });
      continue;
    }
    const disk = inspect(root, path, dirs);
    if (skipped.has(path) && !entry) {
      // Ejected files and files the team had before devops-init carry no marker; a managed file does.
      if (disk.kind !== 'file' || !hasMarker(disk.bytes.subarray(0, 400).toString('latin1'))) continue;
      items.push(sameAsRender(disk.bytes, file.content)
        ? { ...base, state: 'clean', note: 'the lock lists it as yours, but it is devops-init\'s' }
        : { ...base, state: 'edited', note: 'the lock lists it as yours, but it still carries devops-init\'s marker and differs from the render', fix: `devops-init diff ${path}, or devops-init eject ${path} to make it yours` });
      continue;
    }
    if (disk.kind === 'blocked') {
      items.push(blocked(path, file.practice, disk.reason));
      continue;
    }
    if (!entry) {
      items.push(disk.kind === 'missing'
        ? { ...base, state: 'missing', fix: sync }
        : { ...base, state: 'stale', note: 'not yet recorded in the lock', fix: sync });
      continue;
    }
    if (entry.hash !== renderHash) {
      items.push({ ...base, state: 'stale', note: 'devops.yaml or devops-init changed since the last sync', fix: sync });
    } else if (disk.kind === 'missing') {
      items.push({ ...base, state: 'missing', fix: sync });
    } else {
      const hash = diskHash(disk.bytes);
      known?.(hash);
      if (hash === entry.hash) items.push({ ...base, state: 'clean' });
      else items.push({ ...base, ...editedState(path, disk.bytes) });
    }
  }
  for (const [path, entry] of Object.entries(lock.files)) {
    if (tree.get(path) || entry.ownership === 'seeded') continue;
    if (inspect(root, path).kind === 'missing') {
      items.push({ path, practice: entry.practice, state: 'orphaned', note: 'no longer generated; already deleted, the lock still lists it', fix: sync });
    } else {
      const hint = tree.retiredHints.get(path);
      items.push({ path, practice: entry.practice, state: 'orphaned', note: `no longer generated by devops.yaml${hint ? ` (${hint})` : ''}`, fix: 'devops-init sync (deletes it if unedited)' });
    }
  }
  return items.sort((a, b) => (a.path < b.path ? -1 : 1));
}
