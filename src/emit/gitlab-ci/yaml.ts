import { Scalar } from 'yaml';

/**
 * Script lines as GitLab's docs write them: a multi-line script stays a literal block (the
 * YAML writer does that by itself); a one-line command with double quotes or `$` is
 * single-quoted, so `cd "$SERVICE_DIR"` reads as itself instead of as an escaped JSON string.
 * The value is the same either way.
 */
export function scriptLines(lines: string[]): (string | Scalar)[] {
  return lines.map((line) => {
    if (line.includes('\n') || !/["$\\#:{}[\],&*!|>'%@`]/.test(line) || /^[\w./-]+( [\w./=-]+)*$/.test(line)) return line;
    const s = new Scalar(line);
    s.type = 'QUOTE_SINGLE';
    return s;
  });
}

/** A `rules:if` condition single-quoted, as GitLab's docs write them (its `"` and `\\` stay literal). */
export function condition(expr: string): string | Scalar {
  if (expr.includes("'")) return expr;
  const s = new Scalar(expr);
  s.type = 'QUOTE_SINGLE';
  return s;
}

/** Rules with their conditions quoted for reading. */
export function rulesForYaml<R extends { if?: string }>(rules: R[]): Record<string, unknown>[] {
  return rules.map((r) => (r.if === undefined ? { ...r } : { ...r, if: condition(r.if) }));
}
