import { describe, expect, it } from 'vitest';
import { computeTree } from '../../../src/tree/compute.js';
import { makeSpec } from '../../helpers/spec.js';
import { MARKDOWNLINT_ISSUE_BODY_CONFIG, markdownlintRecord } from '../../validators/markdownlint.js';

/**
 * markdownlint-cli2 (test/validators/markdownlint.ts, the config beside it) on the incident
 * practice's markdown for three setups the golden cases do not all cover; every golden case's
 * markdown is linted by test/golden/markdownlint.test.ts. Issue bodies (GitLab issue templates,
 * the drill body) use the issue-body config: their title is the issue's heading (MD041).
 */
describe('incident markdown passes markdownlint-cli2', () => {
  for (const [name, spec] of [
    ['GitHub, canary with flags', makeSpec({ practices: ['ci', 'gitops', 'deploy', 'monitoring', 'incident'], services: [{ name: 'api', path: '.', language: 'node', deploy: { strategy: 'canary', featureFlags: true } }] })],
    ['GitLab, rolling', makeSpec({ practices: ['ci', 'gitops', 'monitoring', 'incident'], ci: { provider: 'gitlab' } })],
    ['monitoring and incident only', makeSpec({ practices: ['monitoring', 'incident'] })],
  ] as const) {
    it(name, () => {
      const files = computeTree(spec).toRecord();
      const md = Object.entries(files).filter(([p]) => p.endsWith('.md') && (p.startsWith('docs/runbooks/') || p.startsWith('docs/incident/') || p.startsWith('.gitlab/') || p === 'docs/devops/README.md'));
      expect(md.length).toBeGreaterThan(5);
      const body = ([p]: [string, string]): boolean => p.startsWith('.gitlab/');
      expect(markdownlintRecord(Object.fromEntries(md.filter((e) => !body(e))))).toEqual([]);
      expect(markdownlintRecord(Object.fromEntries(md.filter(body)), MARKDOWNLINT_ISSUE_BODY_CONFIG)).toEqual([]);
    });
  }
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
