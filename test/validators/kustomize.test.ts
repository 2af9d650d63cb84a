import { describe, expect, it } from 'vitest';
import { haveTool } from './tool.js';
import { kustomizeBuild, parseObjects, writeRecord } from './kustomize.js';

const BASE = {
  'base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- cm.yaml\n',
  'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n',
  'overlay/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../base\nnamespace: shop-staging\n',
};

describe.runIf(haveTool('kubectl'))('kustomizeBuild (kubectl kustomize)', () => {
  it('builds a valid overlay and applies its namespace', () => {
    const dir = writeRecord(BASE);
    const r = kustomizeBuild(`${dir}/overlay`);
    expect(r.stderr).toBe('');
    expect(r.ok).toBe(true);
    expect(parseObjects(r.stdout)).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop-staging' }, data: { a: 'b' } },
    ]);
  });

  it('fails on purpose when a resource points at a missing file', () => {
    const dir = writeRecord({
      ...BASE,
      'base/kustomization.yaml': BASE['base/kustomization.yaml'] + '- missing.yaml\n',
    });
    const r = kustomizeBuild(`${dir}/overlay`);
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/missing\.yaml/);
  });
});
