import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contributionOrder, PRACTICES } from '../../src/practices/index.js';
import type { Practice } from '../../src/practices/types.js';

/**
 * The contributor model's rules (docs/architecture.md), read off the source:
 * - no practice imports another practice (cross-practice facts travel through the model);
 * - emitters and the model import no practice (emitters read the model, not the practice list);
 * - practices contribute after the practices they require or read.
 */

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

interface Edge { from: string; to: string; typeOnly: boolean }

/** Every relative import of a source file, resolved to a repo-relative .ts path, type-only or not. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): Edge[] {
  const edges: Edge[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[3] ?? m[4]!;
    if (!spec.startsWith('.')) continue;
    edges.push({ from: relative(SRC, file), to: relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))), typeOnly: Boolean(m[2]) });
  }
  return edges;
}

const practiceOf = (path: string): string | undefined => /^practices\/([^/]+)\//.exec(path)?.[1];
const ALL = sources(SRC).flatMap((f) => importsOf(f));

/** Imports that break the rules: practice → other practice; emit/model → practice (type-only imports of config types are allowed from spec). */
export function violations(edges: Edge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const from = practiceOf(e.from);
    const to = practiceOf(e.to);
    if (from && to && from !== to) out.push(`${e.from} imports ${e.to}: practices never import each other (share through the model)`);
    if ((e.from.startsWith('emit/') || e.from.startsWith('model/')) && e.to.startsWith('practices/') && !(e.typeOnly && e.to === 'practices/types.ts')) {
      out.push(`${e.from} imports ${e.to}: emitters and the model read the model, never a practice`);
    }
  }
  return out;
}

describe('architecture: practices contribute to one model, emitters write files', () => {
  it('finds the imports it checks (the walk works)', () => {
    expect(ALL.length).toBeGreaterThan(100);
    expect(ALL.some((e) => e.from === 'practices/gitops/index.ts' && e.to === 'model/pod.ts')).toBe(true);
  });

  it('no practice imports another; emitters and the model import no practice', () => {
    expect(violations(ALL)).toEqual([]);
  });

  it('the check fails on a practice importing another, and on an emitter importing a practice', () => {
    const fake = [
      ...importsOf(join(SRC, 'practices/deploy/index.ts'), "import { serviceWorkload } from '../gitops/workload.js';"),
      ...importsOf(join(SRC, 'emit/kustomize/index.ts'), "import { ciPractice } from '../../practices/ci/index.js';"),
    ];
    expect(violations(fake)).toHaveLength(2);
  });

  it('every practice contributes after the practices it requires or reads', () => {
    const order = contributionOrder();
    expect(order.map((p) => p.id).sort()).toEqual(PRACTICES.map((p) => p.id).sort());
    const index = (id: string) => order.findIndex((p) => p.id === id);
    for (const p of order) for (const dep of [...p.config.requires, ...(p.config.after ?? [])]) expect(index(dep), `${p.id} after ${dep}`).toBeLessThan(index(p.id));
    // And a cycle is refused, not looped over.
    const a = { id: 'ci', config: { practice: 'ci', requires: ['gitops'] } } as unknown as Practice;
    const b = { id: 'gitops', config: { practice: 'gitops', requires: ['ci'] } } as unknown as Practice;
    expect(() => contributionOrder([a, b])).toThrow(/cycle/);
  });
});
