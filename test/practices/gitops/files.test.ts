import { describe, expect, it } from 'vitest';
import { gitopsPractice } from '../../../src/practices/gitops/index.js';
import { renderedFiles } from '../../helpers/spec.js';
import { loadSchema } from '../../../src/spec/schema.js';
import { validateSchema } from '../../../src/spec/validate-schema.js';
import { makeSpec, renderRecord } from '../../helpers/spec.js';
import { haveTool } from '../../validators/tool.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { YAMLLINT_CONFIG, yamllintRecord } from '../../validators/yamllint.js';

/**
 * The project's yamllint config, except that block sequences may sit at their parent's
 * indentation: that is how `kustomize edit` (and kubectl) write YAML, and the overlays
 * keep that layout so CI's image edits stay one-line diffs.
 */
function kustomizeLayoutConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'devops-init-yamllint-')), 'config.yml');
  writeFileSync(file, `extends: ${JSON.stringify(YAMLLINT_CONFIG)}\nrules:\n  indentation:\n    spaces: consistent\n    indent-sequences: whatever\n`);
  return file;
}
import { CASES } from './cases.js';

const ours = (record: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(record).filter(
      ([p]) => p.startsWith('deploy/') || p === '.github/workflows/promote.yml' || p === 'docs/gitops.md' || p === 'docs/feature-flags.md',
    ),
  );

describe('gitops: rendered files', () => {
  it('follows the layout other practices rely on', () => {
    const paths = Object.keys(ours(renderRecord(CASES[1]!.spec, ['gitops', 'deploy']))).sort();
    expect(paths).toEqual([
      '.github/workflows/promote.yml',
      'deploy/api/base/analysistemplate.yaml',
      'deploy/api/base/hpa.yaml',
      'deploy/api/base/kustomization.yaml',
      'deploy/api/base/pdb.yaml',
      'deploy/api/base/rollout.yaml',
      'deploy/api/base/service.yaml',
      'deploy/api/base/serviceaccount.yaml',
      'deploy/api/overlays/preview/kustomization.yaml',
      'deploy/api/overlays/production/kustomization.yaml',
      'deploy/api/overlays/staging/kustomization.yaml',
      'deploy/argocd/apps/argocd-objects.yaml',
      'deploy/argocd/apps/preview-guards.yaml',
      'deploy/argocd/apps/previews.yaml',
      'deploy/argocd/apps/services-production.yaml',
      'deploy/argocd/apps/services-staging.yaml',
      'deploy/argocd/project-preview-guards.yaml',
      'deploy/argocd/project-previews.yaml',
      'deploy/argocd/project.yaml',
      'deploy/argocd/root.yaml',
      'deploy/preview-guard/kustomization.yaml',
      'deploy/preview-guard/networkpolicies.yaml',
      'deploy/preview-guard/resourcequota.yaml',
      'deploy/previews/kustomization.yaml',
      'docs/gitops.md',
    ]);
  });

  it('honours gitops.dir and previews: false', () => {
    const spec = makeSpec({ practices: ['gitops'], gitops: { dir: 'k8s', previews: false } });
    const paths = Object.keys(renderRecord(spec));
    expect(paths.filter((p) => !/^(Dockerfile|\.dockerignore)$/.test(p)).every((p) => p.startsWith('k8s/') || p.startsWith('.github/') || p.startsWith('docs/'))).toBe(true);
    expect(paths.filter((p) => /preview/.test(p))).toEqual([]);
    expect(renderRecord(spec)['k8s/argocd/root.yaml']).toContain('path: k8s/argocd/apps');
  });

  it('every file is managed, and the overlay image pin sits where kustomize edit keeps it', () => {
    expect(renderedFiles(CASES[0]!.spec).filter((f) => f.practice === 'gitops').every((f) => f.ownership === 'managed')).toBe(true);
    const overlay = renderRecord(CASES[0]!.spec, ['gitops'])['deploy/api/overlays/staging/kustomization.yaml']!;
    expect(overlay).toMatch(/\nimages:\n- digest: sha256:0{64}\n  name: ghcr\.io\/acme\/shop\/api\n  newName: ghcr\.io\/acme\/shop\/api\n/);
    expect(overlay).not.toMatch(/commonLabels|patchesStrategicMerge|bases:/);
  });

  it.runIf(haveTool('yamllint'))('all YAML passes yamllint (kustomize sequence layout allowed)', () => {
    const config = kustomizeLayoutConfig();
    for (const c of CASES) {
      const yaml = Object.fromEntries(Object.entries(ours(renderRecord(c.spec))).filter(([p]) => /\.ya?ml$/.test(p)));
      expect(yamllintRecord(yaml, config), c.name).toEqual([]);
    }
  });

  it('gitops.dir must be a sub-folder: CI ignores <dir>/**, so "." would make it ignore every change', () => {
    const gitops = loadSchema().properties!['gitops']!;
    const q = gitopsPractice.questions.find((x) => x.id === 'gitopsDir')!;
    for (const dir of ['.', './', '', '/', './deploy', '../deploy', 'a/../b']) {
      const issues = validateSchema(gitops, { dir });
      expect(issues, dir).toHaveLength(1);
      expect(q.validate!(dir), dir).toBeDefined();
    }
    expect(validateSchema(gitops, { dir: '.' })[0]!.fix).toMatch(/not "\."/);
    for (const dir of ['deploy', 'deploy/', 'app/deploy', '.gitops', 'k8s/v1.2']) {
      expect(validateSchema(gitops, { dir }), dir).toEqual([]);
      expect(q.validate!(dir), dir).toBeUndefined();
    }
  });

  it('questions record answers at the agreed spec paths', () => {
    const spec = makeSpec();
    const q = Object.fromEntries(gitopsPractice.questions.map((x) => [x.id, x]));
    expect(q['gitopsDir']!.apply(spec, 'k8s/')).toEqual([{ path: ['gitops', 'dir'], value: 'k8s' }]);
    expect(q['gitopsDir']!.validate!('../x')).toBeDefined();
    expect(q['productionSync']!.apply(spec, 'manual')).toEqual([{ path: ['gitops', 'productionSync'], value: 'manual' }]);
    expect(q['productionSync']!.validate!('sometimes')).toBeDefined();
    expect(q['previews']!.apply(spec, false)).toEqual([{ path: ['gitops', 'previews'], value: false }]);
    expect(q['promotion']!.apply(spec, 'app-token')).toEqual([{ path: ['gitops', 'promotion'], value: 'app-token' }]);
    expect(gitopsPractice.questions.map((x) => x.flag)).toEqual([
      '--gitops-dir <dir>',
      '--production-sync <mode>',
      '--previews',
      '--promotion <method>',
    ]);
  });

  it.each(CASES)('$name: snapshot', async ({ name, spec }) => {
    const slug = name.replace(/[^a-z0-9]+/g, '-').replace(/-$/, '');
    const record = ours(renderRecord(spec));
    const text = Object.entries(record).map(([p, c]) => `=== ${p}\n${c}`).join('\n');
    await expect(text).toMatchFileSnapshot(`./__snapshots__/${slug}.txt`);
  });
});
