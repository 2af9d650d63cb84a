import { expect } from 'vitest';
import { SpecError, type SpecProblem } from '../../src/errors.js';
import { parseSpec } from '../../src/spec/load.js';

/** The problems parseSpec reports for `text` (which must be refused with a SpecError). */
export function specProblems(text: string): SpecProblem[] {
  try {
    parseSpec(text);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as SpecError).problems;
  }
  throw new Error('expected a SpecError');
}
