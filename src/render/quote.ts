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

/**
 * YAML comment lines: `# ` before each line of the text, so a newline in it starts another
 * comment line instead of YAML, and characters YAML does not allow in a stream (C0/C1
 * controls other than tab, lone surrogates, U+FFFE/U+FFFF) become U+FFFD. The output is a
 * comment whatever the text holds.
 */
export function yamlComment(value: unknown): string {
  return String(value ?? '')
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .split(/\r\n|\r|\n/)
    .map((line) => (line === '' ? '#' : `# ${line}`))
    .join('\n');
}

/** A JSON value. */
export function jsonValue(value: unknown): string {
  return JSON.stringify(value ?? null);
}
