import { createHash, type Hash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../version.js';

/** Where team template overrides live (see README "Managed and seeded files"). */
export const OVERRIDES_DIR = '.devops-init/templates';

/**
 * Digest of everything a render depends on: the devops-init version (its code and
 * templates), the text of devops.yaml, and any template overrides. Rendering is a pure
 * function of these, so when the digest equals the one recorded at the last sync the
 * render is byte-for-byte the last render and `check` can compare the disk with the
 * lock's hashes without rendering again (`check --strict` always renders). Cheap: no parse.
 */
export function inputsDigest(root: string, specText: string): string {
  const h = createHash('sha256');
  h.update(`devops-init ${VERSION}\0`);
  h.update(specText);
  hashOverrides(root, h);
  return 'sha256-' + h.digest('hex');
}

/**
 * The same, over devops.yaml as data instead of text: equal when only comments, blank lines,
 * quoting or indentation changed. The render reads the spec only as data (parseSpec's `raw`,
 * normalised), so an equal digest still means the last render. Key order counts (it can order
 * output). Undefined for data JSON cannot tell apart (a non-finite number reads as null).
 */
export function renderInputsDigest(root: string, raw: Record<string, unknown>): string | undefined {
  let exact = true;
  const json = JSON.stringify(raw, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) exact = false;
    return v;
  });
  if (!exact) return undefined;
  const h = createHash('sha256');
  h.update(`devops-init ${VERSION}\0data\0`);
  h.update(json);
  hashOverrides(root, h);
  return 'sha256-' + h.digest('hex');
}

/** Template overrides' paths and bytes, read like every team file: never through a link (the folder itself included). */
function hashOverrides(root: string, h: Hash): void {
  const dir = join(root, OVERRIDES_DIR);
  const real = (p: string) => lstatSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
  if (!real(join(root, '.devops-init')) || !real(dir)) return;
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(dir, r));
      if (st.isDirectory()) walk(r);
      else if (st.isFile()) h.update(`\0${r}\0`).update(readFileSync(join(dir, r)));
    }
  };
  walk('');
}
