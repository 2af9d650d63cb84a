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
      const md = Object.entries(files).filter(([p]) => p.endsWith('.md') && (p.startsWith('docs/runbooks/') || p.startsWith('docs/incident/') || p.startsWith('.gitlab/')));
      expect(md.length).toBeGreaterThan(5);
      expect(md.flatMap(([p, t]) => lintProblems(p, t))).toEqual([]);
    });
  }
  it('the subset can fail', () => {
    expect(lintProblems('x.md', '# A\ntext  \n## B\n```sh\nx\n```\n\n\n')).toEqual(expect.arrayContaining([expect.stringContaining('MD009'), expect.stringContaining('MD022'), expect.stringContaining('MD031'), expect.stringContaining('MD047')]));
  });
});
