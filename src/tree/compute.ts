import { emitAll } from '../emit/index.js';
import type { FileSpec } from '../emit/types.js';
import { hashContent } from '../lock/hash.js';
import { buildModel } from '../model/build.js';
import type { Model } from '../model/types.js';
import { contributionOrder } from '../practices/index.js';
import { renderTemplate } from '../render/engine.js';
import { withLintSkips, withMarker } from '../render/marker.js';
import type { Spec } from '../spec/types.js';
import { distinctPaths } from './distinct.js';
import { Tree, type TreeFile } from './tree.js';

/** Reads a user override from `.devops-init/templates/<output path>`, if any. */
export type OverrideReader = (outputPath: string) => string | undefined;

/**
 * The hash a file's render is known to have without rendering it (src/tree/reuse.ts: the lock's,
 * for a file of a service whose inputs are the last sync's), or undefined to render it.
 */
export type KnownRender = (f: FileSpec) => string | undefined;

const CONTRIBUTION_ORDER = contributionOrder();

/** The model every enabled practice contributes to (see src/model). */
export function computeModel(spec: Spec): Model {
  return buildModel(spec, CONTRIBUTION_ORDER);
}

/**
 * Render the spec into an in-memory tree: practices contribute to the model, emitters turn
 * it into files, templates render them. Pure apart from reading the shipped templates (and
 * overrides, when a reader is given). `validated` holds hashes of renders already parsed when
 * they were written (the lock's): an identical render need not be parsed again, which keeps
 * `check` fast on large repositories. Anything new is always parsed. `known`: files whose render
 * hash is known (check's reuse of the lock, tree/reuse.ts) carry it and render only if their
 * content is read.
 */
export function computeTree(spec: Spec, readOverride?: OverrideReader, validated?: ReadonlySet<string>, known?: KnownRender): Tree {
  const tree = new Tree();
  const model = computeModel(spec);
  const linters = spec.project.linters;
  for (const f of distinctPaths(emitAll(model))) {
    const hash = known?.(f);
    tree.write(hash === undefined ? renderFile(f, readOverride, validated, linters) : lazyFile(f, hash, () => renderFile(f, readOverride, validated, linters)));
  }
  for (const p of model.retiredPaths ?? []) tree.retired.add(p);
  for (const [p, hint] of Object.entries(model.retiredHints ?? {})) tree.retiredHints.set(p, hint);
  for (const w of model.warnings) {
    if (w.ifSkipped === undefined) tree.warnings.push(w.text);
    else tree.skipWarnings.set(w.ifSkipped, [...(tree.skipWarnings.get(w.ifSkipped) ?? []), w.unlessContains === undefined ? { text: w.text } : { text: w.text, unlessContains: w.unlessContains }]);
  }
  return tree;
}

/** A file whose render hash is known: its content is rendered on first read (never, in `check`). */
function lazyFile(f: FileSpec, hash: string, render: () => TreeFile): TreeFile {
  let rendered: TreeFile | undefined;
  const file: TreeFile = {
    path: f.path,
    get content() {
      return (rendered ??= render()).content;
    },
    ownership: f.ownership,
    practice: f.practice,
    executable: f.executable ?? false,
    hash,
  };
  if (f.required) file.required = true;
  if (f.companionOf) file.companionOf = f.companionOf;
  if (f.service !== undefined) file.service = f.service;
  return file;
}

function renderFile(f: FileSpec, readOverride?: OverrideReader, validated?: ReadonlySet<string>, linters?: Spec['project']['linters']): TreeFile {
  const override = readOverride?.(f.path);
  // Managed files carry the marker (and the repository's linters' skip-file comments); seeded ones are the team's.
  const finish = (body: string) => (f.ownership === 'managed' ? withLintSkips(f.path, withMarker(f.path, body), linters) : body);
  let hash: string | undefined;
  let finished: { body: string; content: string } | undefined;
  const finishOnce = (body: string): string => (finished?.body === body ? finished.content : (finished = { body, content: finish(body) }).content);
  const known = validated && validated.size > 0 ? (text: string) => validated.has((hash = hashContent(finishOnce(text)))) : undefined;
  const body = renderTemplate(f.template, f.data, f.path, override, known, f.helpers);
  const file: TreeFile = {
    path: f.path,
    content: finishOnce(body),
    ownership: f.ownership,
    practice: f.practice,
    executable: f.executable ?? false,
  };
  if (hash !== undefined) file.hash = hash;
  if (f.required) file.required = true;
  if (f.companionOf) file.companionOf = f.companionOf;
  if (f.service !== undefined) file.service = f.service;
  return file;
}
