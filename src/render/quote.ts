/**
 * Quoting for every target language a template writes. Templates never interpolate a
 * value raw: they call one of these through a Handlebars helper, so a hostile name
 * (quotes, newlines, `${{ }}`, `${}`) stays data in YAML, shell, HCL and JSON.
 */

/** A YAML double-quoted scalar (JSON strings are valid YAML 1.2 double-quoted scalars). Numbers and booleans stay plain. */
export function yamlScalar(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(String(value));
}

/** A POSIX shell word in single quotes: nothing inside is expanded. */
export function shellWord(value: unknown): string {
  const s = String(value);
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** An HCL quoted string: JSON escapes plus `$${` and `%%{` so templates cannot be injected. */
export function hclString(value: unknown): string {
  return JSON.stringify(String(value)).replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** A JSON value. */
export function jsonValue(value: unknown): string {
  return JSON.stringify(value ?? null);
}
