import type { PracticeId } from '../spec/types.js';
import type { Practice } from './types.js';
import { ciPractice } from './ci/index.js';

/**
 * Every practice that exists, in the order they render and are listed. Practice ids
 * without an entry here are planned but not built yet; `list` shows them as such.
 */
export const PRACTICES: readonly Practice[] = [ciPractice];

export function practiceById(id: PracticeId): Practice | undefined {
  return PRACTICES.find((p) => p.id === id);
}
