import { applyOps, type WriteOp } from '../apply/apply.js';
import { UsageError } from '../errors.js';
import { LOCK_FILE, readLock, serializeLock } from '../lock/lock.js';
import { withoutMarker } from '../render/marker.js';
import { inspect } from '../tree/disk.js';
import { say } from '../ui/output.js';
import { repoRoot, type GlobalOptions } from './context.js';
import { withRepoLock } from './writer.js';

/**
 * `devops-init eject <path…>`: hand managed files over to the team. The marker line goes,
 * the lock stops tracking them (they are recorded as the team's, so check and sync leave
 * them alone), and the rest of the practice keeps being managed.
 */
export async function runEject(paths: string[], opts: GlobalOptions): Promise<number> {
  const root = repoRoot(opts);
  return withRepoLock(root, 'eject', opts.dryRun, () => eject(root, paths, opts));
}

async function eject(root: string, paths: string[], opts: GlobalOptions): Promise<number> {
  const lock = readLock(root);
  if (!lock) throw new UsageError('No .devops-init/lock.json: nothing is managed here yet.', 'Run `devops-init init` first.');
  const ops: WriteOp[] = [];
  for (const p of paths.map((x) => x.replace(/^\.\//, ''))) {
    const entry = Object.hasOwn(lock.files, p) ? lock.files[p] : undefined;
    if (!entry || entry.ownership !== 'managed') {
      throw new UsageError(`${p} is not a file devops-init manages.`, 'Run `devops-init check --verbose --json` to list managed files.');
    }
    const disk = inspect(root, p);
    if (disk.kind === 'blocked') throw new UsageError(`${p}: ${disk.reason}.`);
    // Latin-1 round-trips every byte: only the (ASCII) marker line is removed, the rest stays as it is.
    if (disk.kind === 'file') ops.push({ path: p, content: Buffer.from(withoutMarker(disk.bytes.toString('latin1')), 'latin1'), executable: disk.executable });
    delete lock.files[p];
    lock.skipped.push(p);
  }
  if (opts.dryRun) {
    for (const p of paths) say(`  would eject ${p}`);
    return 0;
  }
  await applyOps(root, [...ops, { path: LOCK_FILE, content: serializeLock(lock) }]);
  for (const p of paths) say(`  ejected  ${p}  (yours now: devops-init will not regenerate or check it)`);
  return 0;
}
