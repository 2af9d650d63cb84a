import type { Practice } from '../practices/types.js';
import type { Spec } from '../spec/types.js';
import { sourceModel } from './source.js';
import type { ManifestFile, Model, OverlayModel } from './types.js';

/** An empty model for a spec: the project's source and its services, nothing contributed yet. */
export function emptyModel(spec: Spec): Model {
  return {
    spec,
    practices: [...spec.practices],
    source: sourceModel(spec),
    services: spec.services.map((s) => ({ spec: s, name: s.name, path: s.path, instrumented: false, buildContexts: {} })),
    pipelines: [],
    workloads: [],
    manifests: [],
    files: [],
    warnings: [],
  };
}

/**
 * Build the model: every enabled practice contributes, in registry order (`practices` is
 * ordered so that a practice comes after those whose contributions it reads or amends).
 * Pure: reads nothing from disk.
 */
export function buildModel(spec: Spec, practices: readonly Practice[]): Model {
  const model = emptyModel(spec);
  const enabled = new Set(spec.practices);
  model.handbooks = practices.filter((p) => enabled.has(p.id)).map((p) => ({ id: p.id, title: p.title, summary: p.handbook.summary, why: p.handbook.why }));
  for (const p of practices) if (enabled.has(p.id)) p.contribute(spec, model);
  return model;
}

/**
 * Retire an overlay's patch files (earlier versions wrote each patch beside the overlay's
 * kustomization.yaml; now it is inline there): sync deletes each when unedited, and says where
 * its patch went when it leaves an edited one in place.
 */
export function retireOverlayPatchFiles(model: Model, overlay: OverlayModel, patches: readonly ManifestFile[]): void {
  const paths = patches.map((p) => `${overlay.dir}/${p.file}`);
  (model.retiredPaths ??= []).push(...paths);
  const hints = (model.retiredHints ??= {});
  for (const p of paths) hints[p] = `its patch is inline in ${overlay.dir}/kustomization.yaml now: carry your edit there, or into devops.yaml`;
}
