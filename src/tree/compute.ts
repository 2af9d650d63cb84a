import { hashContent } from '../lock/hash.js';
import { renderTemplate } from '../render/engine.js';
import { withMarker } from '../render/marker.js';
import { practiceById } from '../practices/index.js';
import type { Practice } from '../practices/types.js';
import type { Spec } from '../spec/types.js';
import { Tree, type TreeFile } from './tree.js';

/** Reads a user override from `.devops-init/templates/<output path>`, if any. */
export type OverrideReader = (outputPath: string) => string | undefined;

/**
 * Render every enabled practice into an in-memory tree. Pure apart from reading the
 * shipped templates (and overrides, when a reader is given).
 */
export function computeTree(spec: Spec, readOverride?: OverrideReader, validated?: ReadonlySet<string>): Tree {
  const tree = new Tree();
  for (const id of spec.practices) {
    const practice = practiceById(id);
    if (practice) renderPractice(tree, practice, spec, readOverride, validated);
  }
  return tree;
}

/**
 * Render one practice into the tree. `validated` holds hashes of renders already parsed
 * when they were written (the lock's): an identical render need not be parsed again,
 * which keeps `check` fast on large repositories. Anything new is always parsed.
 */
export function renderPractice(tree: Tree, practice: Practice, spec: Spec, readOverride?: OverrideReader, validated?: ReadonlySet<string>): void {
  for (const f of practice.files(spec)) {
    const override = readOverride?.(f.path);
    let hash: string | undefined;
    const known = validated && validated.size > 0
      ? (text: string) => validated.has((hash = hashContent(f.ownership === 'managed' ? withMarker(f.path, text) : text)))
      : undefined;
    const body = renderTemplate(f.template, { ...f.data, spec }, f.path, override, known);
    const file: TreeFile = {
      path: f.path,
      content: f.ownership === 'managed' ? withMarker(f.path, body) : body,
      ownership: f.ownership,
      practice: practice.id,
      executable: f.executable ?? false,
    };
    if (hash !== undefined) file.hash = hash;
    tree.write(file);
  }
}
