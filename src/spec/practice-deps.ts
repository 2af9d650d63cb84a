import type { PracticeId } from './types.js';

/** Which practices need which: kept as data so spec validation need not load every practice. */
export const PRACTICE_REQUIRES: Partial<Record<PracticeId, PracticeId[]>> = {
  deploy: ['gitops'],
};
