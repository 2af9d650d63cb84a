import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/spec/load.js';
import { computeRepoTree } from '../../src/tree/repo.js';
import { SCHEMA_FILE } from '../../src/spec/write.js';
import { OTEL_NODE_FILES } from '../../src/model/otel.js';

/** Shipped data written verbatim (test/practices/observability/otel-node-lock.test.ts): listed, not repeated. */
const VERBATIM = new Map<string, string>([[SCHEMA_FILE, 'schema/devops.schema.json'], [OTEL_NODE_FILES[1].path, `templates/${OTEL_NODE_FILES[1].shipped}`]]);

/**
 * Golden trees: every case's devops.yaml (the fixtures' `init --yes` specs, examples/shop, and
 * variants) rendered to one text file, `tree.txt`. A refactor must leave these byte-identical;
 * a deliberate output change updates them (`UPDATE_GOLDEN=1 npx vitest run test/golden`) and
 * the diff of tree.txt is what reviewers read. test/golden/CHANGES.md lists each deliberate change.
 */

const DIR = fileURLToPath(new URL('.', import.meta.url));
const CASES = readdirSync(DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

export function renderCase(name: string): string {
  const loaded = parseSpec(readFileSync(join(DIR, name, 'devops.yaml'), 'utf8'));
  const tree = computeRepoTree(loaded.spec);
  return tree
    .paths()
    .map((p) => {
      const f = tree.get(p)!;
      // The shipped JSON Schema is schema/devops.schema.json verbatim (test/spec/schema-shipped.test.ts), the
      // OpenTelemetry Node lock the shipped one: listed, not repeated.
      const shipped = VERBATIM.get(p);
      const content = shipped ? `(the text of ${shipped})\n` : f.content;
      return `=== ${p} (${f.practice}, ${f.ownership}${f.executable ? ', executable' : ''}) ===\n${content}`;
    })
    .join('');
}

function splitTree(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = text.split(/^=== (.+?) ===\n/m);
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i]!, parts[i + 1] ?? '');
  return out;
}

describe('golden trees', () => {
  it('has cases', () => expect(CASES.length).toBeGreaterThan(10));
  for (const name of CASES) {
    it(`${name} renders exactly its golden tree`, () => {
      const actual = renderCase(name);
      const file = join(DIR, name, 'tree.txt');
      if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, actual);
      expect(existsSync(file), `test/golden/${name}/tree.txt is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden`).toBe(true);
      const expected = readFileSync(file, 'utf8');
      if (actual !== expected) {
        // Name the files that differ; the full diff is `git diff` after UPDATE_GOLDEN=1.
        const a = splitTree(actual);
        const e = splitTree(expected);
        const differing = [...new Set([...a.keys(), ...e.keys()])].filter((p) => a.get(p) !== e.get(p)).sort();
        expect.fail(`${name}: ${differing.length} file(s) differ from test/golden/${name}/tree.txt: ${differing.slice(0, 20).join(', ')} (UPDATE_GOLDEN=1 to accept a deliberate change, then list it in test/golden/CHANGES.md)`);
      }
    });
  }
});
