import type { SchemaIssue } from './validate-schema.js';
import type { Spec } from './types.js';
import { PRACTICE_CONFIGS } from './sections.js';
import { pathIssues } from './paths-check.js';

/**
 * Rules a JSON Schema cannot say: unique service names, practice dependencies, and each
 * practice's own checks (registry settings, SLO thresholds on real buckets, replica bounds…).
 */
export function semanticIssues(spec: Spec, raw: Record<string, unknown>): SchemaIssue[] {
  // Paths first: a path that cannot be written makes the other rules moot.
  const paths = pathIssues(spec, raw);
  if (paths.length) return paths;
  const issues: SchemaIssue[] = [];
  const names = new Map<string, number>();
  spec.services.forEach((s, i) => {
    const prev = names.get(s.name);
    if (prev !== undefined) issues.push({ path: ['services', i, 'name'], message: `service name "${s.name}" is used twice (also services[${prev}])`, fix: 'give each service a unique name' });
    names.set(s.name, i);
  });
  spec.practices.forEach((p, i) => {
    for (const dep of requiredBy(p)) {
      if (!spec.practices.includes(dep)) issues.push({ path: ['practices', i], message: `practice "${p}" needs "${dep}"`, fix: `add ${dep} to practices (devops-init add ${dep})` });
    }
  });
  for (const c of PRACTICE_CONFIGS) issues.push(...(c.validate?.(spec) ?? []));
  return issues;
}

/** The practices `id` needs, directly or through the ones it needs. */
export function requiredBy(id: Spec['practices'][number]): Spec['practices'] {
  const out = new Set<Spec['practices'][number]>();
  const visit = (p: Spec['practices'][number]) => {
    for (const dep of PRACTICE_CONFIGS.find((c) => c.practice === p)?.requires ?? []) {
      if (!out.has(dep)) {
        out.add(dep);
        visit(dep);
      }
    }
  };
  visit(id);
  return [...out];
}
