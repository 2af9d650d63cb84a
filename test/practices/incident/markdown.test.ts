import { describe, expect, it } from 'vitest';
import { computeTree } from '../../../src/tree/compute.js';
import { makeSpec } from '../../helpers/spec.js';

/**
 * markdownlint-cli2 is not installed here (it is not in node_modules, and adding a dependency
 * is out of this change's scope), so this is a structural check of a few of markdownlint's
 * default rules, named by their ids. It is NOT markdownlint.
 */
function lintProblems(path: string, text: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  let fence = false;
  let h1 = 0;
  lines.forEach((line, i) => {
    const n = `${path}:${i + 1}`;
    if (/^\s*(```|~~~)/.test(line)) {
      // MD031: fenced code blocks surrounded by blank lines.
      const edge = fence ? lines[i + 1] : lines[i - 1];
      if (edge !== undefined && edge.trim() !== '' && !/^\s*(```|~~~)/.test(edge)) out.push(`${n} MD031 fence not surrounded by blank lines`);
      fence = !fence;
      return;
    }
    if (fence) return;
    if (/[ \t]+$/.test(line)) out.push(`${n} MD009 trailing spaces`);
    if (line === '' && lines[i - 1] === '' && i < lines.length - 1) out.push(`${n} MD012 multiple blank lines`);
    if (/^#{1,6} /.test(line)) {
      if (line.startsWith('# ')) h1 += 1;
      if (i > 0 && lines[i - 1]!.trim() !== '' && !lines[i - 1]!.startsWith('<!--')) out.push(`${n} MD022 heading needs a blank line above`);
      if (lines[i + 1] !== undefined && lines[i + 1]!.trim() !== '') out.push(`${n} MD022 heading needs a blank line below`);
    }
  });
  if (fence) out.push(`${path} unclosed code fence`);
  if (h1 > 1) out.push(`${path} MD025 more than one top-level heading`);
  if (!text.endsWith('\n') || text.endsWith('\n\n')) out.push(`${path} MD047 must end with a single newline`);
  return out;
}

describe('incident markdown (structural subset of markdownlint\'s rules; markdownlint-cli2 is not installed)', () => {
  for (const [name, spec] of [
    ['GitHub, canary with flags', makeSpec({ practices: ['ci', 'gitops', 'deploy', 'monitoring', 'incident'], services: [{ name: 'api', path: '.', language: 'node', deploy: { strategy: 'canary', featureFlags: true } }] })],
    ['GitLab, rolling', makeSpec({ practices: ['ci', 'gitops', 'monitoring', 'incident'], ci: { provider: 'gitlab' } })],
    ['monitoring and incident only', makeSpec({ practices: ['monitoring', 'incident'] })],
  ] as const) {
    it(name, () => {
      const files = computeTree(spec).toRecord();
      const md = Object.entries(files).filter(([p]) => p.endsWith('.md') && (p.startsWith('docs/runbooks/') || p.startsWith('docs/incident/') || p.startsWith('.gitlab/') || p === 'docs/devops/README.md'));
      expect(md.length).toBeGreaterThan(5);
      expect(md.flatMap(([p, t]) => lintProblems(p, t))).toEqual([]);
    });
  }
  it('the subset can fail', () => {
    expect(lintProblems('x.md', '# A\ntext  \n## B\n```sh\nx\n```\n\n\n')).toEqual(expect.arrayContaining([expect.stringContaining('MD009'), expect.stringContaining('MD022'), expect.stringContaining('MD031'), expect.stringContaining('MD047')]));
  });
});

/**
 * The `mermaid` package is not installed (and not added): a structural check of the flowchart
 * subset docs/devops/README.md uses. Rules: the block starts with `flowchart LR|TD`; every line
 * is a node `id["label"]` or an edge `a -->|label| b` / `a -.->|label| b` / `a --> b`; node ids
 * are defined once and before use; labels are double-quoted with no `"` inside; every node is
 * reached by an edge.
 */
function mermaidProblems(block: string): string[] {
  const out: string[] = [];
  const lines = block.split('\n');
  if (!/^flowchart (LR|TD|TB|RL|BT)$/.test(lines[0] ?? '')) out.push('first line must be flowchart <direction>');
  const nodes = new Set<string>();
  const used = new Set<string>();
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    const node = /^([A-Za-z][A-Za-z0-9_]*)\["([^"]*)"\]$/.exec(line);
    const edge = /^([A-Za-z][A-Za-z0-9_]*) (-->|-\.->)(\|[^|"]+\|)? ([A-Za-z][A-Za-z0-9_]*)$/.exec(line);
    if (node) {
      if (nodes.has(node[1]!)) out.push(`node ${node[1]} defined twice`);
      nodes.add(node[1]!);
    } else if (edge) {
      for (const id of [edge[1]!, edge[4]!]) {
        if (!nodes.has(id)) out.push(`edge uses undefined node ${id}`);
        used.add(id);
      }
    } else out.push(`not a node or edge: ${line}`);
  }
  for (const n of nodes) if (!used.has(n)) out.push(`node ${n} is not connected`);
  return out;
}

describe('docs/devops/README.md', () => {
  const cases = [
    ['everything on GitHub', makeSpec({ practices: ['ci', 'gitops', 'deploy', 'observability', 'monitoring', 'logging', 'incident'] })],
    ['GitLab', makeSpec({ practices: ['ci', 'gitops', 'monitoring', 'incident'], ci: { provider: 'gitlab' } })],
    ['incident alone', makeSpec({ practices: ['incident'] })],
  ] as const;
  for (const [name, spec] of cases) {
    it(`${name}: the Mermaid flowchart is well-formed and the page names every service and practice`, () => {
      const md = computeTree(spec).toRecord()['docs/devops/README.md']!;
      const block = /```mermaid\n([\s\S]*?)\n```/.exec(md)![1]!;
      expect(mermaidProblems(block)).toEqual([]);
      for (const s of spec.services) expect(md).toContain(`| ${s.name} |`);
      for (const p of spec.practices) expect(md.toLowerCase()).toContain(p === 'ci' ? 'ci/cd' : p === 'iac' ? 'infrastructure' : p === 'deploy' ? 'deploy' : p);
      expect(md).toContain('devops-init check');
    });
  }
  it('the Mermaid check can fail', () => {
    expect(mermaidProblems('flowchart LR\n  a["A"]\n  a --> b\n  c["say "hi""]')).toEqual(expect.arrayContaining(['edge uses undefined node b', expect.stringContaining('not a node or edge')]));
  });
  it('follows devops.yaml: a new service and its SLOs appear', () => {
    const md = computeTree(makeSpec({ practices: ['gitops', 'monitoring', 'incident'], services: [{ name: 'api', path: 'api', language: 'node' }, { name: 'web', path: 'web', language: 'python', port: 8000 }] })).toRecord()['docs/devops/README.md']!;
    expect(md).toContain('| web | `web` | python | 8000 | availability 99.9%, latency 99.9% < 250 ms | rolling |');
    expect(md).toContain('shop-production');
  });
});
