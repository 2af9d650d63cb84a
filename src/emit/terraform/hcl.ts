import { hclString } from '../../render/quote.js';

/**
 * HCL written the way `terraform fmt` writes it, for the parts of a file whose keys come from
 * devops.yaml (tags, services): `=` aligned across each run of one-line attributes, a value
 * spanning lines ends the run. Values are HCL expressions the caller built (quote strings with
 * `str`); keys are always quoted, so any tag key stays a key.
 */

/** An HCL string literal (JSON escapes; `${` and `%{` escaped, so no template can be injected). */
export const str = (value: string): string => hclString(value);

/** A one-line list of strings: ["a", "b"]. */
export const strList = (values: readonly string[]): string => `[${values.map(str).join(', ')}]`;

/** An object literal `{ … }` over several lines, keys quoted, `=` aligned as terraform fmt aligns it. */
export function object(entries: readonly (readonly [string, string])[], indent: number): string {
  if (entries.length === 0) return '{}';
  const pad = ' '.repeat(indent + 2);
  const keys = entries.map(([k]) => str(k));
  const lines: string[] = [];
  let run: number[] = [];
  const flush = () => {
    const width = Math.max(...run.map((i) => keys[i]!.length));
    for (const i of run) lines.push(`${pad}${keys[i]!.padEnd(width)} = ${entries[i]![1]}`);
    run = [];
  };
  entries.forEach(([, value], i) => {
    if (value.includes('\n')) {
      if (run.length) flush();
      lines.push(`${pad}${keys[i]} = ${value}`);
    } else {
      run.push(i);
    }
  });
  if (run.length) flush();
  return `{\n${lines.join('\n')}\n${' '.repeat(indent)}}`;
}

/** An object of strings: tags, repository names. */
export const stringMap = (map: Readonly<Record<string, string>>, indent: number): string =>
  object(Object.entries(map).map(([k, v]) => [k, str(v)] as const), indent);
