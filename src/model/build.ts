import type { Practice } from '../practices/types.js';
import type { Spec } from '../spec/types.js';
import { sourceModel } from './source.js';
import type { Model } from './types.js';

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
