import { applyOps, type WriteOp } from '../apply/apply.js';
import { PreconditionError } from '../errors.js';
import { LOCK_FILE, serializeLock, type Lock, type LockEntry } from '../lock/lock.js';
import type { Plan } from '../plan/types.js';
import type { PracticeId } from '../spec/types.js';
import { VERSION } from '../version.js';

/** The lock that describes a plan once it is applied. */
export function nextLock(plan: Plan, practices: PracticeId[], rawSpec: Record<string, unknown>, inputs?: { text: string; data?: string | undefined }): Lock {
  const lock: Lock = { version: 1, tool: VERSION, practices: [...practices], spec: rawSpec, files: Object.create(null) as Record<string, LockEntry>, skipped: [] };
  // The digests claim every hash below is the render of these inputs: not while a file is pending.
  if (inputs && !plan.changes.some((c) => c.renderPending)) {
    lock.inputs = inputs.text;
    if (inputs.data) lock.renderInputs = inputs.data;
  }
  for (const c of plan.changes) {
    if (c.kind === 'skip') lock.skipped.push(c.path);
    else if (c.lockHash && !['delete', 'release', 'blocked'].includes(c.kind)) {
      lock.files[c.path] = { practice: c.practice, ownership: c.ownership, hash: c.lockHash };
    }
  }
  return lock;
}

/** Refuse a plan that would write through a link or over a non-file. */
export function assertNotBlocked(plan: Plan): void {
  const blocked = plan.changes.filter((c) => c.kind === 'blocked');
  if (blocked.length) {
    throw new PreconditionError(
      `Refusing to write: ${blocked.map((c) => `${c.path} (${c.note})`).join('; ')}.`,
      'Nothing was written. Replace the link with a regular file or folder inside the repository, then run the command again.',
    );
  }
}

/** The file operations a plan makes (without the lock). */
export function planOps(plan: Plan): WriteOp[] {
  const ops: WriteOp[] = [];
  for (const c of plan.changes) {
    if (c.kind === 'delete' && c.before !== undefined) ops.push({ path: c.path, content: null });
    else if (['create', 'update', 'merge', 'conflict'].includes(c.kind) && c.content !== undefined) {
      ops.push({ path: c.path, content: c.content, executable: c.executable ?? false });
    }
  }
  return ops;
}

/**
 * Apply a plan plus extra files (devops.yaml) and the new lock, all-or-nothing. The lock is
 * written last, so an interrupted run never records renders that did not land.
 */
export async function commitPlan(root: string, plan: Plan, lock: Lock, extra: WriteOp[] = []): Promise<void> {
  assertNotBlocked(plan);
  await applyOps(root, [...extra, ...planOps(plan), { path: LOCK_FILE, content: serializeLock(lock) }]);
}
