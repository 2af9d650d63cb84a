import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every module `file` can load, static or dynamic, following our own sources. */
function graph(file: string, seen = new Set<string>(), external = new Set<string>(), staticOnly = false): { seen: Set<string>; external: Set<string> } {
  if (seen.has(file)) return { seen, external };
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  const re = staticOnly ? /^\s*(?:import|export)\s(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm : /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  const specs = [...text.matchAll(re)].map((m) => m[1] ?? m[2]!);
  for (const spec of specs) {
    if (spec.startsWith('.')) {
      const ts = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      if (existsSync(ts)) graph(ts, seen, external, staticOnly);
    } else external.add(spec);
  }
  return { seen, external };
}

describe('check runs on every pull request', () => {
  it('cannot spawn processes: nothing it loads imports execa or child_process', () => {
    const { seen, external } = graph(join(SRC, 'commands/check.ts'));
    expect([...external].filter((m) => /execa|child_process/.test(m))).toEqual([]);
    expect([...seen].map((f) => f.slice(SRC.length)).filter((f) => f.startsWith('merge/'))).toEqual([]);
    // The walk itself works: sync does reach git.
    expect(graph(join(SRC, 'commands/sync.ts')).external.has('execa')).toBe(true);
  });

  it('loads no YAML parser, renderer or template engine until devops.yaml changed (they are imported when a render is needed)', () => {
    const { seen, external } = graph(join(SRC, 'commands/check.ts'), new Set(), new Set(), true);
    expect([...external].filter((m) => /^(yaml|handlebars)/.test(m))).toEqual([]);
    expect([...seen].map((f) => f.slice(SRC.length)).filter((f) => /^(render|practices|emit|model)\//.test(f) && f !== 'render/marker.ts' && f !== 'model/otel.ts')).toEqual([]); // two small modules of constants
    // The walk sees static imports: the render module does load yaml.
    expect(graph(join(SRC, 'tree/repo.ts'), new Set(), new Set(), true).external.has('yaml')).toBe(true);
  });
});
