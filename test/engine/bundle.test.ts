import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * bin/devops-init.js runs the build's bundle (scripts/build.mjs → dist/bundle/). The bundle must
 * keep what the module graph guarantees (test/engine/check-imports.test.ts proves it on the
 * sources): check, which runs on every pull request, loads nothing that spawns a process and no
 * YAML parser, renderer or template engine when devops.yaml is unchanged.
 */
const BUNDLE = fileURLToPath(new URL('../../dist/bundle/', import.meta.url));

/** The chunks `start` loads before it runs (static imports, transitively). */
function staticClosure(start: string): Map<string, string> {
  const seen = new Map<string, string>();
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(BUNDLE + file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/^(?:import|export)\s[^'"]*?from\s*["']\.\/([^"']+)["']|^import\s*["']\.\/([^"']+)["']/gm)) walk(m[1] ?? m[2]!);
  };
  walk(start);
  return seen;
}

describe('the CLI bundle', () => {
  it('is what bin/devops-init.js runs', () => {
    expect(existsSync(`${BUNDLE}cli.js`)).toBe(true);
    expect(readFileSync(fileURLToPath(new URL('../../bin/devops-init.js', import.meta.url)), 'utf8')).toContain("'../dist/bundle/cli.js'");
  });

  it('check\'s chunks import nothing that spawns, parses YAML or renders templates', () => {
    const chunk = readdirSync(BUNDLE).find((f) => /^check-.*\.js$/.test(f) && readFileSync(BUNDLE + f, 'utf8').includes('async function runCheck('));
    expect(chunk).toBeDefined();
    const closure = staticClosure(chunk!);
    const offending = [...closure].filter(([, text]) => /child_process|execa|handlebars|Composer = class|class Composer|function parseAllDocuments/.test(text)).map(([f]) => f);
    expect(offending).toEqual([]);
    // The walk works: the render's chunks (loaded by check only after devops.yaml changed) do hold the YAML parser.
    const repo = readdirSync(BUNDLE).find((f) => readFileSync(BUNDLE + f, 'utf8').includes('function computeRepoTree('));
    expect([...staticClosure(repo!).values()].some((text) => /Composer = class|class Composer/.test(text))).toBe(true);
    // …and sync's reach git through a child process.
    const sync = readdirSync(BUNDLE).find((f) => readFileSync(BUNDLE + f, 'utf8').includes('async function runSync('));
    expect([...staticClosure(sync!).values()].some((text) => /child_process/.test(text))).toBe(true);
  });
});
