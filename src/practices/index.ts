import type { PracticeId } from '../spec/types.js';
import type { Practice } from './types.js';
import { ciPractice } from './ci/index.js';
import { gitopsPractice } from './gitops/index.js';
import { deployPractice } from './deploy/index.js';
import { observabilityPractice } from './observability/index.js';
import { monitoringPractice } from './monitoring/index.js';
import { loggingPractice } from './logging/index.js';

/**
 * Every practice that exists, in the order they render and are listed. Practice ids
 * without an entry here are planned but not built yet; `list` shows them as such.
 */
export const PRACTICES: readonly Practice[] = [ciPractice, gitopsPractice, deployPractice, observabilityPractice, monitoringPractice, loggingPractice];

export function practiceById(id: PracticeId): Practice | undefined {
  return PRACTICES.find((p) => p.id === id);
}
