/**
 * Templates whose every output line comes from the YAML emitter (src/render/yaml-emit.ts):
 * `{{toYaml expr}}` lines at column 0, `---` separators between `{{#each}}` items, and `#`
 * comment lines whose only interpolations are `{{json …}}` (a JSON string has no raw newline,
 * so the comment stays one line), and `{{comment …}}` lines (src/render/quote.ts: every line of
 * the text becomes a comment line). Their output is valid YAML by construction — the emitter's
 * round-trip tests (test/engine/yaml-emit.test.ts) prove it reads back as the data — so the
 * render engine need not parse it again, which is most of the render's cost on large
 * repositories (monitoring rules, tests and dashboards). Team overrides are always parsed.
 */
const LINE_RULES: RegExp[] = [
  /^\{\{toYaml [A-Za-z_.]+(?: compact=true)?\}\}$/,
  /^\{\{#each [A-Za-z_.]+\}\}$/,
  /^\{\{\/each\}\}$/,
  /^\{\{#unless @first\}\}$/,
  /^---$/,
  /^\{\{\/unless\}\}$/,
  /^#(?:[^{}]|\{\{json [A-Za-z_.]+\}\})*$/,
  /^\{\{comment [A-Za-z_.]+\}\}$/,
];

export function isSerializerOnly(source: string): boolean {
  const lines = source.replace(/\n$/, '').split('\n');
  if (!lines.some((l) => l.startsWith('{{toYaml '))) return false;
  return lines.every((line) => LINE_RULES.some((r) => r.test(line)));
}
