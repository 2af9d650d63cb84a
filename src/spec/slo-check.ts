import type { SchemaIssue } from './validate-schema.js';
import type { Spec } from './types.js';

/** SLO sanity checks shared by every practice that reads SLOs. */
export function sloProblemsFor(spec: Spec): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  spec.services.forEach((s, i) => {
    const seen = new Set<string>();
    s.slos.forEach((slo, j) => {
      if (seen.has(slo.name)) issues.push({ path: ['services', i, 'slos', j, 'name'], message: `SLO "${slo.name}" is defined twice for ${s.name}`, fix: 'give each SLO a unique name' });
      seen.add(slo.name);
      if (slo.kind === 'latency' && slo.thresholdMs === undefined) {
        issues.push({ path: ['services', i, 'slos', j], message: `latency SLO "${slo.name}" has no thresholdMs`, fix: 'add thresholdMs: 300 (a histogram bucket boundary in milliseconds)' });
      }
    });
  });
  return issues;
}
