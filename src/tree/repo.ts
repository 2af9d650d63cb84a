import { OutputPathError, SpecError } from '../errors.js';
import { LOCK_FILE } from '../lock/lock.js';
import { withMarker } from '../render/marker.js';
import type { LoadedSpec } from '../spec/load.js';
import { composeSchema } from '../spec/schema.js';
import { SCHEMA_FILE } from '../spec/write.js';
import type { Spec } from '../spec/types.js';
import { computeTree, type KnownRender, type OverrideReader } from './compute.js';
import { CORE_OWNER, type Tree } from './tree.js';

/** The `.gitattributes` devops-init writes (owner `core`) when the repository has none of its own. */
export const GITATTRIBUTES = '.gitattributes';

/** The line a team with its own .gitattributes can add so Windows checkouts keep generated files LF. */
export const GITATTRIBUTES_LINE = '* text=auto eol=lf';

/** A path as a .gitattributes pattern: anchored at the root, quoted when it has special characters. */
function pattern(path: string): string {
  return /^[A-Za-z0-9._@/+-]+$/.test(path) ? `/${path}` : JSON.stringify(`/${path}`);
}

/**
 * The core `.gitattributes`: `text eol=lf` for every managed file and the lock, so a
 * checkout with core.autocrlf=true (Windows) keeps them byte-identical to their renders.
 */
export function gitattributes(tree: Tree): string | undefined {
  const managed = tree.paths().filter((p) => tree.get(p)!.ownership === 'managed' && p !== GITATTRIBUTES);
  if (managed.length === 0) return undefined;
  const lines = [
    '# Files devops-init generates keep LF line endings on every checkout (core.autocrlf=true too),',
    '# so check and sync compare and merge them line by line. Add your own rules below these.',
    ...[...managed, LOCK_FILE].sort().map((p) => `${pattern(p)} text eol=lf`),
  ];
  return withMarker(GITATTRIBUTES, lines.join('\n') + '\n');
}

/**
 * Everything devops-init generates in a repository: the practices' files (computeTree) and
 * its own core files (`.gitattributes`). What sync, check and the lock work from.
 */
export function computeRepoTree(spec: Spec, readOverride?: OverrideReader, validated?: ReadonlySet<string>, known?: KnownRender): Tree {
  const tree = computeTree(spec, readOverride, validated, known);
  // devops.yaml's JSON Schema beside it, for editors offline (the yaml-language-server comment
  // on devops.yaml's first line points here, not at a CDN); the same text as schema/devops.schema.json.
  if (!tree.get(SCHEMA_FILE)) tree.write({ path: SCHEMA_FILE, content: JSON.stringify(composeSchema(), null, 2) + '\n', ownership: 'managed', practice: CORE_OWNER, executable: false });
  const attrs = gitattributes(tree);
  if (attrs !== undefined && !tree.get(GITATTRIBUTES)) tree.write({ path: GITATTRIBUTES, content: attrs, ownership: 'managed', practice: CORE_OWNER, executable: false });
  return tree;
}

/**
 * computeRepoTree for a loaded devops.yaml: a generated path the spec makes unsafe or
 * ambiguous is reported at the devops.yaml value responsible (file:line:col, exit 2).
 */
export function renderLoaded(loaded: LoadedSpec, readOverride?: OverrideReader, validated?: ReadonlySet<string>, known?: KnownRender): Tree {
  try {
    return computeRepoTree(loaded.spec, readOverride, validated, known);
  } catch (e) {
    if (!(e instanceof OutputPathError)) throw e;
    const at = culprit(loaded.spec, e.path);
    const pos = at ? loaded.locate(at) : { line: 1, col: 1 };
    throw new SpecError([{ file: loaded.file, ...pos, message: `this makes devops-init generate ${JSON.stringify(e.path)}, which ${e.why}`, fix: 'point it at a path no other generated file uses' }]);
  }
}

/** The devops.yaml value that put `path` in the tree, as a key path. */
function culprit(spec: Spec, path: string): (string | number)[] | undefined {
  const i = spec.services.findIndex((s) => s.dockerfile === path || `${s.dockerfile}.dockerignore` === path);
  if (i >= 0) return ['services', i, 'dockerfile'];
  const j = spec.services.findIndex((s) => s.path !== '.' && path.startsWith(`${s.path}/`));
  if (j >= 0) return ['services', j, 'path'];
  if (path.startsWith(`${spec.gitops.dir}/`)) return ['gitops', 'dir'];
  return undefined;
}
