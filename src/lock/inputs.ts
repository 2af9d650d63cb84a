import { createHash } from 'node:crypto';
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
 * lock's hashes without rendering again (`check --strict` always renders).
 */
export function inputsDigest(root: string, specText: string): string {
  const h = createHash('sha256');
  h.update(`devops-init ${VERSION}\0`);
  h.update(specText);
  const dir = join(root, OVERRIDES_DIR);
  // Overrides are read like every team file: never through a link (the folder itself included).
  const real = (p: string) => lstatSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
  if (real(join(root, '.devops-init')) && real(dir)) {
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
  return 'sha256-' + h.digest('hex');
}
