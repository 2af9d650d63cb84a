/** Building `Fact`s: read from the repository, or guessed with the key that settles it. */
import type { Fact } from './types.js';

export function found<T>(value: T, source: string): Fact<T> {
  return { value, source, guess: false };
}

export function guessed<T>(value: T, because: string, fix: string): Fact<T> {
  return { value, source: because, guess: true, fix };
}

/** "port 9555 from src/ad/Dockerfile:31 `EXPOSE ${AD_PORT}`" / "port 8080 (guess: Go default; fix: --port api=…)". */
export function showFact<T>(label: string, f: Fact<T>, show: (v: T) => string = String): string {
  if (f.guess) return `${label} ${show(f.value)} — GUESS (${f.source ?? 'nothing in the repository says'})`;
  return `${label} ${show(f.value)} from ${f.source ?? 'the repository'}`;
}
