import { acquireRepoLock, type RepoLock } from '../apply/repo-lock.js';
import { hasJournal, JOURNAL, recoverInterrupted } from '../apply/journal.js';
import { detail, warn } from '../ui/output.js';

/**
 * The start of every writing command: take the repository's exclusive lock (another
 * writer → exit 1 naming it), then finish what an interrupted run left behind (undo it
 * from its journal, remove its temp files), so the command starts from a whole state.
 */
export function beginWrite(root: string, command: string): RepoLock {
  const lock = acquireRepoLock(root, command);
  try {
    const rec = recoverInterrupted(root);
    if (rec?.completed) detail(`Cleaned up after a devops-init run (pid ${rec.journal.pid}) that had finished writing.`);
    else if (rec?.report) {
      const { restored, leftAlone } = rec.report;
      warn(
        `A devops-init run (pid ${rec.journal.pid}, started ${rec.journal.started}) was interrupted; it has been undone: ${restored.length} file(s) restored` +
          (leftAlone.length ? `; changed since by something else and left as they are: ${leftAlone.join(', ')}` : '') +
          '.',
      );
    }
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}

/** Run a writing command's body under the repository lock (not for --dry-run, which writes nothing). */
export async function withRepoLock<T>(root: string, command: string, dryRun: boolean | undefined, fn: () => Promise<T>): Promise<T> {
  if (dryRun) {
    if (hasJournal(root)) warn(`A devops-init run was interrupted (${JOURNAL} exists); the next command that writes undoes it first, so this plan may differ from what it will do.`);
    return fn();
  }
  const lock = beginWrite(root, command);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
