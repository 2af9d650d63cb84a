import type { Ownership } from '../spec/types.js';
import type { FileOwner } from '../tree/tree.js';

/**
 * What sync (or init/add) will do to one file.
 * - create: not on disk; written.            - update: unedited; new render written.
 * - merge: edited and the render changed; three-way merge is clean.
 * - conflict: edited and the merge conflicts; written with markers, exit 1.
 * - unchanged: nothing to do.               - edited: hand edits, render unchanged; kept.
 * - delete: orphan (no longer rendered), unedited; removed.
 * - release: orphan with hand edits; left on disk and forgotten by the lock.
 * - keep: seeded file already there (or deleted by the team); never touched.
 * - skip: a file devops-init did not write is in the way; left alone.
 * - blocked: the path goes through a symlink or a file; refused.
 */
export type ChangeKind =
  | 'create'
  | 'update'
  | 'merge'
  | 'conflict'
  | 'unchanged'
  | 'edited'
  | 'delete'
  | 'release'
  | 'keep'
  | 'skip'
  | 'blocked';

export interface Change {
  path: string;
  kind: ChangeKind;
  practice: FileOwner;
  ownership: Ownership;
  /** Content to write (create/update/merge/conflict): a render (text) or merged bytes. */
  content?: string | Buffer;
  /** Raw bytes on disk before the change, when there is a file. */
  before?: Buffer;
  executable?: boolean;
  /** Hash to record in the lock: the new render's (undefined = drop from lock). */
  lockHash?: string;
  /**
   * The lock keeps the last render's hash because the new render is not in the file yet (it has
   * unresolved conflict markers, so the next sync still merges it in). The lock then cannot claim
   * its hashes are the render of devops.yaml: it records no `inputs` digests, and check and sync
   * render everything until a sync leaves no file pending.
   */
  renderPending?: boolean;
  note?: string;
}

export interface Plan {
  changes: Change[];
  /** What the rendered setup cannot do by itself with this spec (said after applying). */
  warnings?: string[];
}

/** Kinds that write or delete a file. */
export const WRITES: ReadonlySet<ChangeKind> = new Set(['create', 'update', 'merge', 'conflict', 'delete']);
