import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSpec } from '../../../src/spec/load.js';
import { computeRepoTree } from '../../../src/tree/repo.js';

/** Issue 9 #6/#12: preview images go to `<repository>-preview`, pushed by the preview identity only. */
type Obj = Record<string, any>;
const tree = (name: string) => computeRepoTree(parseSpec(readFileSync(fileURLToPath(new URL(`../../golden/${name}/devops.yaml`, import.meta.url)), 'utf8')).spec);
const hclList = (text: string, local: string): string[] => {
  const block = text.slice(text.indexOf(`${local} = jsonencode(`));
  const m = /Resource = \[for k in (\[[^\]]*\]) : module\.ecr\.repository_arns\[k\]\]/.exec(block)!;
  return JSON.parse(m[1]!) as string[];
};

describe('preview images live in their own repositories (issue 9 #6/#12)', () => {
  it.each(['shop', 'iac-ecr', 'gar', 'acr'])('%s: the previews workflow pushes only to <repository>-preview, and the ApplicationSet deploys those', (name) => {
    const t = tree(name);
    const wf = parse(t.get('.github/workflows/previews.yml')!.content) as Obj;
    const images = (wf['jobs']['push']['strategy']['matrix']['include'] as Obj[]).map((m) => m['image'] as string);
    expect(images.length).toBeGreaterThan(0);
    for (const i of images) expect(i).toMatch(/-preview$/);
    const appset = t.paths().find((p) => p.endsWith('argocd/apps/previews.yaml'))!;
    const deployed = (parse(t.get(appset)!.content) as Obj)['spec']['template']['spec']['source']['kustomize']['images'] as string[];
    expect(deployed.map((d) => d.slice(0, d.lastIndexOf(':'))).sort()).toEqual([...images].sort());
  });

  it('ECR with iac: the -preview repositories exist, the preview role pushes only to them, the release role never', () => {
    const t = tree('iac-ecr');
    const env = t.paths().find((p) => /envs\/[^/]+\/main\.tf$/.test(p) && t.get(p)!.content.includes('module "ecr"'))!;
    const text = t.get(env)!.content;
    const release = hclList(text, 'push_policy');
    const preview = hclList(text, 'preview_push_policy');
    expect(release.length).toBeGreaterThan(0);
    expect(release.some((k) => k.endsWith('-preview'))).toBe(false);
    expect(preview).toEqual(release.map((k) => `${k}-preview`));
    expect(text).toMatch(/"shop-preview-push" = \{[^}]*policy_json = local\.preview_push_policy/s);
    expect(text).toMatch(/"shop-image-push" = \{[^}]*policy_json = local\.push_policy\n/s);
  });
});
