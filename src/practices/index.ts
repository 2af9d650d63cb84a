import type { PracticeId } from '../spec/types.js';
import type { Practice } from './types.js';
import { ciPractice } from './ci/index.js';
import { gitopsPractice } from './gitops/index.js';
import { deployPractice } from './deploy/index.js';
import { iacPractice } from './iac/index.js';
import { observabilityPractice } from './observability/index.js';
import { monitoringPractice } from './monitoring/index.js';
import { loggingPractice } from './logging/index.js';
import { incidentPractice } from './incident/index.js';

/**
 * Every practice that exists, in the order they are listed, asked about and written to
 * devops.yaml. Practice ids without an entry here are planned but not built yet; `list`
 * shows them as such. The order they contribute to the model is `contributionOrder()`.
 */
export const PRACTICES: readonly Practice[] = [ciPractice, gitopsPractice, deployPractice, iacPractice, observabilityPractice, monitoringPractice, loggingPractice, incidentPractice];

export function practiceById(id: PracticeId): Practice | undefined {
  return PRACTICES.find((p) => p.id === id);
}

/**
 * Practices in the order they contribute: each after the practices it `requires` or comes
 * `after` (whose contributions it reads or amends), otherwise in listing order. A cycle is a
 * bug in the practices' declarations (test/architecture checks there is none).
 */
export function contributionOrder(practices: readonly Practice[] = PRACTICES): Practice[] {
  const out: Practice[] = [];
  const state = new Map<PracticeId, 'visiting' | 'done'>();
  const visit = (p: Practice): void => {
    const s = state.get(p.id);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`practice ordering cycle through ${p.id}`);
    state.set(p.id, 'visiting');
    for (const dep of [...p.config.requires, ...(p.config.after ?? [])]) {
      const d = practices.find((x) => x.id === dep);
      if (d) visit(d);
    }
    state.set(p.id, 'done');
    out.push(p);
  };
  for (const p of practices) visit(p);
  return out;
}
