import { Scalar } from 'yaml';

/**
 * A deep copy with no shared references. The YAML writer turns an object that appears
 * twice into an anchor and alias (&a1 / *a1): valid, but unreadable in a manifest.
 */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * A string the YAML writer must double-quote. For values a YAML 1.1 reader (Go's
 * yaml.v2, used by Helm and kubectl) would otherwise turn into another type, such as
 * dates: `2024-04-01` would become a timestamp.
 */
export function quoted(value: string): Scalar<string> {
  const s = new Scalar(value);
  s.type = 'QUOTE_DOUBLE';
  return s;
}

/** A single-quoted string (printable ASCII; e.g. kustomize's `delimiter: '@'`). */
export function singleQuoted(value: string): Scalar<string> {
  const s = new Scalar(value);
  s.type = 'QUOTE_SINGLE';
  return s;
}

/**
 * A string written plain when that is safe in block YAML, although the writer's stricter
 * default would quote it (kustomize field paths: `spec.containers.[name=api].image`).
 */
export function plainWhenSafe(value: string): Scalar<string> {
  const s = new Scalar(value);
  s.type = 'PLAIN';
  return s;
}

