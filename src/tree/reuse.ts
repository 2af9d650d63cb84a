import { renderInputsDigest } from '../lock/inputs.js';
import type { Lock } from '../lock/lock.js';
import type { Spec } from '../spec/types.js';
import type { KnownRender } from './compute.js';

/**
 * What `check` need not render after devops.yaml's data changed: the files of each service whose
 * entry in devops.yaml is the last sync's, when the settings outside `services:` are too.
 *
 * Sound because of three facts, each proven by a test:
 * - the lock records the last render's inputs: its `spec` snapshot (devops.yaml as data) and,
 *   in `renderInputs`, the digest of that data with the tool version and the template overrides.
 *   Recomputing that digest over the snapshot with today's tool and overrides proves the snapshot
 *   is what the last render read and that neither the tool nor an override changed since;
 * - normalisation reads each service's entry alone (`normalizeService`), so an unchanged entry at
 *   the same position is the same normalised service;
 * - a file claiming one service (FileSpec.service) reads only that service, the settings
 *   outside `services:` and the data paths it lists in FileSpec.alsoReads
 *   (test/engine/service-scope.test.ts mutates every other service of the golden specs and
 *   compares the render).
 * Then such a file's render is the last sync's, whose hash the lock holds. Everything else
 * (shared files, changed services, paths the lock does not list) renders as before; `--strict`
 * never reuses. A lock edited to lie can hide drift from a plain `check` exactly as it could
 * before through its `inputs` digest, and not from `--strict`.
 */
export function lockReuse(root: string, raw: Record<string, unknown>, spec: Spec, lock: Lock): KnownRender | undefined {
  const unchanged = unchangedServices(raw, lock.spec, spec);
  if (unchanged.size === 0 || lock.renderInputs === undefined || renderInputsDigest(root, lock.spec) !== lock.renderInputs) return undefined;
  // Each data path a file lists in alsoReads is compared once, however many files list it.
  const sameAt = new Map<string, boolean>();
  const same = (path: string): boolean => {
    let is = sameAt.get(path);
    if (is === undefined) sameAt.set(path, (is = JSON.stringify(dataAt(raw, path)) === JSON.stringify(dataAt(lock.spec, path))));
    return is;
  };
  return (f) => {
    if (f.service === undefined || !unchanged.has(f.service) || !Object.hasOwn(lock.files, f.path)) return undefined;
    if (f.alsoReads && !f.alsoReads.every(same)) return undefined;
    const entry = lock.files[f.path]!;
    // Managed only: a seeded file's entry keeps the hash of the render the team started from.
    return entry.ownership === 'managed' && f.ownership === 'managed' && entry.practice === f.practice ? entry.hash : undefined;
  };
}

/**
 * Names of the services whose devops.yaml entry (as data, key order kept) is the same at the same
 * position as in `last`, when everything outside `services:` is the same too; else none.
 */
export function unchangedServices(raw: Record<string, unknown>, last: Record<string, unknown>, spec: Spec): Set<string> {
  const names = new Set<string>();
  if (outsideServices(raw) !== outsideServices(last)) return names;
  const now = raw['services'];
  const before = last['services'];
  if (!Array.isArray(now) || !Array.isArray(before)) return names;
  const n = Math.min(now.length, before.length, spec.services.length);
  for (let i = 0; i < n; i++) {
    if (JSON.stringify(now[i]) === JSON.stringify(before[i])) names.add(spec.services[i]!.name);
  }
  return names;
}

/** The value at a dotted data path (`services.0.metrics`), or undefined where the path ends early. */
function dataAt(data: unknown, path: string): unknown {
  let cur = data;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** The data as JSON with the services list blanked (its position among the keys kept). */
function outsideServices(data: Record<string, unknown>): string {
  return JSON.stringify(data, function (this: unknown, key: string, value: unknown) {
    return this === data && key === 'services' ? null : value;
  });
}
