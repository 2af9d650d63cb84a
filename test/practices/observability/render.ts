import { renderTemplate } from '../../../src/render/engine.js';
import { withMarker } from '../../../src/render/marker.js';
import type { Practice } from '../../../src/practices/types.js';
import type { Spec } from '../../../src/spec/types.js';

/**
 * `{path: content}` for one practice, rendered exactly as src/tree/compute.ts does
 * (template, data + spec, marker on managed files), without loading every other
 * practice — so these tests do not depend on other practices building.
 */
export function renderPracticeRecord(practice: Practice, spec: Spec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of practice.files(spec)) {
    if (out[f.path] !== undefined) throw new Error(`${f.path} rendered twice`);
    const body = renderTemplate(f.template, { ...f.data, spec }, f.path);
    out[f.path] = f.ownership === 'managed' ? withMarker(f.path, body) : body;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
