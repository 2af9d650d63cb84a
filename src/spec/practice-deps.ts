import type { PracticeId } from './types.js';

/**
 * Which practices need which: kept as data so spec validation need not load every practice.
 * test/engine/practice-deps.test.ts keeps it equal to the practices' own `requires`.
 */
export const PRACTICE_REQUIRES: Partial<Record<PracticeId, PracticeId[]>> = {
  gitops: ['ci'],
  deploy: ['gitops'],
};
