import { answerAll } from '../ask/answer.js';
import { PRACTICES } from '../practices/index.js';
import { applyToDocument, applyToRaw } from '../spec/edit.js';
import { loadSpec, parseSpec, SPEC_FILE } from '../spec/load.js';
import { normalizeSpec } from '../spec/normalize.js';
import type { PracticeId } from '../spec/types.js';
import { say } from '../ui/output.js';
import { isInteractive, repoRoot, type GlobalOptions } from './context.js';
import { parsePractices, withRequired } from './practices-arg.js';
import { assertClean, finish, planFor } from './sync.js';
import { withRepoLock } from './writer.js';

export interface AddOptions extends GlobalOptions {
  force?: boolean;
  [flag: string]: unknown;
}

/**
 * `devops-init add <practice…>`: enable practices in devops.yaml (asking only their
 * questions), then sync, which writes their files and updates the ones they change
 * (for example CI gains deploy jobs with gitops), keeping hand edits.
 */
export async function runAdd(ids: string[], opts: AddOptions): Promise<number> {
  const root = repoRoot(opts);
  return withRepoLock(root, 'add', opts.dryRun, () => add(root, ids, opts));
}

async function add(root: string, ids: string[], opts: AddOptions): Promise<number> {
  const loaded = loadSpec(root);
  const requested = parsePractices(ids, 'add');
  const before = loaded.spec.practices;
  const practices = withRequired([...before, ...requested]);
  const added = practices.filter((p) => !before.includes(p));
  for (const dep of added.filter((p) => !requested.includes(p))) say(`Also adding ${dep}, which ${requested.join(', ')} needs.`);

  // Ask the new practices' questions, and the requested ones' again when flags are given.
  const questions = PRACTICES.filter((p) => added.includes(p.id) || requested.includes(p.id)).flatMap((p) => p.questions);
  const raw = structuredClone(loaded.raw);
  const doc = loaded.doc;
  const edits = await answerAll(questions, normalizeSpec({ ...raw, practices }), { interactive: isInteractive(opts), flags: opts, raw: loaded.raw }, (e) => {
    applyToRaw(raw, e);
    return normalizeSpec({ ...raw, practices });
  });
  const practiceEdit = { path: ['practices'], value: ordered(practices, raw['practices'] as PracticeId[] | undefined) };
  applyToDocument(doc, [practiceEdit, ...edits.filter((e) => changes(loaded.raw, e.path, e.value))]);
  const text = doc.toString({ lineWidth: 0 });
  const next = parseSpec(text);
  if (added.length === 0 && text === loaded.text) say(`Already enabled: ${requested.join(', ')}. Syncing.`);

  const plan = await planFor(root, next);
  await assertClean(root, plan, opts.force);
  return finish(root, plan, next, opts, `add ${requested.join(' ')}`, opts.dryRun || text === loaded.text ? [] : [{ path: SPEC_FILE, content: text }]);
}

/** Keep the user's order for practices already listed; append new ones. */
function ordered(all: PracticeId[], existing: PracticeId[] | undefined): PracticeId[] {
  const keep = (existing ?? []).filter((p) => all.includes(p));
  return [...keep, ...all.filter((p) => !keep.includes(p))];
}

function changes(raw: Record<string, unknown>, path: (string | number)[], value: unknown): boolean {
  let cur: any = raw;
  for (const k of path) {
    if (cur === undefined || cur === null) return true;
    cur = cur[k];
  }
  return JSON.stringify(cur) !== JSON.stringify(value);
}

