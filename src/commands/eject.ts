import { applyOps } from '../apply/apply.js';
import { UsageError } from '../errors.js';
import { LOCK_FILE, readLock, serializeLock } from '../lock/lock.js';
import { withoutMarker } from '../render/marker.js';
import { inspect } from '../tree/disk.js';
import { say } from '../ui/output.js';
import { repoRoot, type GlobalOptions } from './context.js';

/**
 * `devops-init eject <path…>`: hand managed files over to the team. The marker line goes,
 * the lock stops tracking them (they are recorded as the team's, so check and sync leave
 * them alone), and the rest of the practice keeps being managed.
 */
export async function runEject(paths: string[], opts: GlobalOptions): Promise<number> {
  const root = repoRoot(opts);
  const lock = readLock(root);
  if (!lock) throw new UsageError('No .devops-init/lock.json: nothing is managed here yet.', 'Run `devops-init init` first.');
  const ops = [];
  for (const p of paths.map((x) => x.replace(/^\.\//, ''))) {
    const entry = lock.files[p];
    if (!entry || entry.ownership !== 'managed') {
      throw new UsageError(`${p} is not a file devops-init manages.`, 'Run `devops-init check --verbose --json` to list managed files.');
    }
    const disk = inspect(root, p);
    if (disk.kind === 'blocked') throw new UsageError(`${p}: ${disk.reason}.`);
    if (disk.kind === 'file') ops.push({ path: p, content: withoutMarker(disk.content), executable: disk.executable });
    delete lock.files[p];
    lock.skipped.push(p);
  }
  if (opts.dryRun) {
    for (const p of paths) say(`  would eject ${p}`);
    return 0;
  }
  applyOps(root, [...ops, { path: LOCK_FILE, content: serializeLock(lock) }]);
  for (const p of paths) say(`  ejected  ${p}  (yours now: devops-init will not regenerate or check it)`);
  return 0;
}
