import { yieldForSignals } from '../apply/cancel.js';
import { atPhase } from '../apply/faults.js';
import type { WriteOp } from '../apply/apply.js';
import { EXIT, PreconditionError } from '../errors.js';
import { inputsDigest, renderInputsDigest } from '../lock/inputs.js';
import { lockHashes, readLock } from '../lock/lock.js';
import { couldHaveGenerated } from '../lock/snapshot.js';
import { baseFinder } from '../merge/base.js';
import { dirtyPaths, mergeFile } from '../merge/git.js';
import { buildPlan } from '../plan/build.js';
import { WRITES, type Plan } from '../plan/types.js';
import { loadSpec, type LoadedSpec } from '../spec/load.js';
import { GITATTRIBUTES, GITATTRIBUTES_LINE, renderLoaded } from '../tree/repo.js';
import { lockReuse } from '../tree/reuse.js';
import { emitJson, say, warn } from '../ui/output.js';
import { planJson, printPlan } from '../ui/plan-view.js';
import { commitPlan, nextLock } from './commit-plan.js';
import { overrideReader, repoRoot, type GlobalOptions } from './context.js';
import { withRepoLock } from './writer.js';

export interface SyncOptions extends GlobalOptions {
  force?: boolean;
  /** Render every file: take no hash from the lock (as `check --strict`). */
  strict?: boolean;
}

/** Render, plan against lock and disk (three-way merging edited files), and apply. */
export async function planFor(root: string, loaded: LoadedSpec, opts: { strict?: boolean | undefined } = {}): Promise<Plan> {
  const lock = readLock(root);
  atPhase('render');
  // Files of services whose devops.yaml entry is the last sync's keep the lock's hash, rendered only if written.
  // Not under --strict: a lock entry that is not the render of its spec (edited, or written wrong) is then repaired.
  const known = lock && !opts.strict ? lockReuse(root, loaded.raw, loaded.spec, lock) : undefined;
  const tree = renderLoaded(loaded, overrideReader(root), lockHashes(lock), known);
  // The render is synchronous: a Ctrl-C during it is handled here (nothing written yet).
  await yieldForSignals();
  return buildPlan(root, tree, lock, { base: baseFinder(root, lock), merge: (b, o, t, p) => mergeFile(b, o, t, p), generated: couldHaveGenerated(lock) });
}

/**
 * Refuse to touch files whose content git does not have (copier's rule) unless --force:
 * uncommitted changes to tracked files, and hand edits in untracked or ignored ones.
 */
export async function assertClean(root: string, plan: Plan, force: boolean | undefined, extra: string[] = []): Promise<void> {
  if (force) return;
  const touched = [
    ...plan.changes
      .filter((c) => WRITES.has(c.kind) && c.before !== undefined && (c.kind === 'delete' || c.content !== undefined))
      .map((c) => ({ path: c.path, edited: c.kind === 'merge' || c.kind === 'conflict' })),
    ...extra.map((path) => ({ path, edited: true })),
  ];
  const dirty = await dirtyPaths(root, touched);
  if (dirty.length) {
    throw new PreconditionError(
      `These files have uncommitted changes and would be rewritten: ${dirty.join(', ')}.`,
      'Commit or stash them first (so the merge can be reviewed and undone), or pass --force.',
    );
  }
}

/** Apply a plan (or print it for --dry-run) and return the exit code. */
export async function finish(root: string, plan: Plan, loaded: LoadedSpec, opts: GlobalOptions, command: string, extra: WriteOp[] = []): Promise<number> {
  const conflicts = plan.changes.filter((c) => c.kind === 'conflict');
  if (opts.json) emitJson(planJson(plan, command, { dryRun: Boolean(opts.dryRun) }));
  else printPlan(plan, opts.dryRun ? `${command} --dry-run (nothing written)` : command);
  if (!opts.dryRun) await commitPlan(root, plan, nextLock(plan, loaded.spec.practices, loaded.raw, { text: inputsDigest(root, loaded.text), data: renderInputsDigest(root, loaded.raw) }), extra);
  const attrs = plan.changes.find((c) => c.path === GITATTRIBUTES && c.kind === 'skip' && !c.note?.startsWith('yours'));
  if (attrs) warn(`${GITATTRIBUTES} is yours, so devops-init left it as it is. To keep generated files LF on Windows checkouts (core.autocrlf=true), add this line to it: ${GITATTRIBUTES_LINE}`);
  if (conflicts.length) {
    warn(`${conflicts.length} file(s) have conflict markers (<<<<<<< your edits … >>>>>>> new render), or unresolved ones from before. Resolve them, then commit.`);
    return EXIT.drift;
  }
  for (const c of plan.changes.filter((c) => c.kind === 'release')) warn(`${c.path}: ${c.note}`);
  if (!opts.json && !opts.quiet) for (const w of plan.warnings ?? []) warn(w);
  return EXIT.ok;
}

/** `devops-init sync`: bring generated files up to date with devops.yaml, keeping hand edits. */
export async function runSync(opts: SyncOptions): Promise<number> {
  const root = repoRoot(opts);
  return withRepoLock(root, 'sync', opts.dryRun, async () => {
    const loaded = loadSpec(root);
    const plan = await planFor(root, loaded, { strict: opts.strict });
    await assertClean(root, plan, opts.force);
    const code = await finish(root, plan, loaded, opts, 'sync');
    if (!opts.dryRun && code === 0 && !opts.json) say('Review with `git diff`, then commit.');
    return code;
  });
}
