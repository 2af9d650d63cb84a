import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/spec/load.js';
import { computeTree } from '../../src/tree/compute.js';

const spec = (extra: string) =>
  `version: 1\nproject: { name: shop, repository: acme/shop }\npractices: [ci, gitops]\n${extra}services:\n  - { name: api, path: ., language: node }\n`;

describe('paths are normalised once, when the spec is read', () => {
  it('gitops.dir "deploy/" is the folder "deploy" everywhere (no deploy//argocd)', () => {
    const loaded = parseSpec(spec('gitops: { dir: deploy/ }\n'));
    expect(loaded.spec.gitops.dir).toBe('deploy');
    const paths = computeTree(loaded.spec).paths();
    expect(paths).toContain('deploy/argocd/root.yaml');
    expect(paths.filter((p) => p.includes('//'))).toEqual([]);
    expect(computeTree(loaded.spec).get('deploy/argocd/root.yaml')!.content).toContain('path: deploy/argocd/apps');
  });

  it('the deprecated ci.runner is read as ci.github.runner', () => {
    expect(parseSpec(spec('ci: { runner: ubuntu-22.04 }\n')).spec.ci.github.runner).toBe('ubuntu-22.04');
    expect(parseSpec(spec('ci: { github: { runner: self-hosted } }\n')).spec.ci.github.runner).toBe('self-hosted');
  });

  it('a practice without the one it requires is rejected with the fix', () => {
    expect(() => parseSpec(spec('').replace('[ci, gitops]', '[gitops]'))).toThrow(/practice "gitops" needs "ci" — add ci to practices/);
  });
});
