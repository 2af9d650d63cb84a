import { UsageError } from '../errors.js';
import { applyToDocument } from '../spec/edit.js';
import { loadSpec, parseSpec, SPEC_FILE } from '../spec/load.js';
import { requiredBy } from '../spec/semantic.js';
import type { PracticeId } from '../spec/types.js';
import { repoRoot, type GlobalOptions } from './context.js';
import { parsePractices } from './practices-arg.js';
import { assertClean, finish, planFor } from './sync.js';
import { withRepoLock } from './writer.js';

export interface RemoveOptions extends GlobalOptions {
  force?: boolean;
}

/**
 * `devops-init remove <practice…>`: take practices out of devops.yaml and sync. Their
 * unedited managed files are deleted; hand-edited ones and seeded files are left to the
 * team (and reported). Their settings stay in devops.yaml, harmless, for a later `add`.
 */
export async function runRemove(ids: string[], opts: RemoveOptions): Promise<number> {
  const root = repoRoot(opts);
  return withRepoLock(root, 'remove', opts.dryRun, () => remove(root, ids, opts));
}

async function remove(root: string, ids: string[], opts: RemoveOptions): Promise<number> {
  const loaded = loadSpec(root);
  const removing = parsePractices(ids, 'remove');
  const current = loaded.spec.practices;
  const notEnabled = removing.filter((p) => !current.includes(p));
  if (notEnabled.length) throw new UsageError(`Not enabled in ${SPEC_FILE}: ${notEnabled.join(', ')}.`, `Enabled: ${current.join(', ') || 'none'}.`);
  const remaining = current.filter((p) => !removing.includes(p));
  for (const p of remaining) {
    const needs = requiredBy(p).filter((d: PracticeId) => removing.includes(d));
    if (needs.length) {
      throw new UsageError(`${p} needs ${needs.join(', ')}, so it cannot be removed alone.`, `Remove both: devops-init remove ${[...removing, p].join(' ')}`);
    }
  }
  const doc = loaded.doc;
  applyToDocument(doc, [{ path: ['practices'], value: remaining }]);
  const text = doc.toString({ lineWidth: 0 });
  const next = parseSpec(text);
  const plan = await planFor(root, next);
  await assertClean(root, plan, opts.force);
  return finish(root, plan, next, opts, `remove ${removing.join(' ')}`, opts.dryRun ? [] : [{ path: SPEC_FILE, content: text }]);
}
