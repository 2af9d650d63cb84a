import type { Practice } from '../../../src/practices/types.js';
import type { Spec } from '../../../src/spec/types.js';
import { practiceRecord } from '../../helpers/spec.js';

/** `{path: content}` of the files one practice contributes to the render of `spec`. */
export function renderPracticeRecord(practice: Practice, spec: Spec): Record<string, string> {
  return practiceRecord(spec, practice.id);
}
