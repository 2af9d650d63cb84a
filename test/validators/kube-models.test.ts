import { describe, expect, it } from 'vitest';
import { typecheckObjects, validateWithModels } from './kube-models.js';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api' },
  spec: {
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { labels: { app: 'api' } },
      spec: {
        containers: [
          { name: 'api', image: 'ghcr.io/acme/api@sha256:' + 'a'.repeat(64), readinessProbe: { httpGet: { path: '/healthz', port: 'http' } } },
        ],
      },
    },
  },
});

const rollout = () => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'api' },
  spec: {
    selector: { matchLabels: { app: 'api' } },
    template: deployment().spec.template,
    strategy: { canary: { steps: [{ setWeight: 10 }, { pause: { duration: '1m' } }] } },
  },
});

describe('kubernetes-models validation', () => {
  it('accepts valid core and Argo objects in both passes', () => {
    const objects = [
      deployment(),
      rollout(),
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: 'shop', namespace: 'argocd' },
        spec: { sourceRepos: ['https://github.com/acme/shop.git'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'shop-*' }] },
      },
    ];
    expect(validateWithModels(objects)).toEqual([]);
    expect(typecheckObjects(objects)).toEqual([]);
  });

  it('rejects a wrong type (pass 1)', () => {
    const bad = deployment() as any;
    bad.spec.replicas = 'three';
    expect(validateWithModels([bad]).join('\n')).toMatch(/replicas/);
  });

  it('rejects a kind it has no model for', () => {
    expect(validateWithModels([{ apiVersion: 'v1', kind: 'Pdo', metadata: { name: 'x' } }])).toHaveLength(1);
  });

  it('lets a misspelled field through pass 1 but rejects it in pass 2 (unknown fields)', () => {
    const bad = deployment() as any;
    const c = bad.spec.template.spec.containers[0];
    c.readinesProbe = c.readinessProbe;
    delete c.readinessProbe;
    const badRollout = rollout() as any;
    badRollout.spec.strategy.canary.stepz = [];
    // The JSON-schema validators do not look at unknown keys …
    expect(validateWithModels([bad, badRollout])).toEqual([]);
    // … the TypeScript excess-property check does, and names the object.
    const errors = typecheckObjects([bad, badRollout]);
    expect(errors.join('\n')).toMatch(/apps\/v1\/Deployment api: .*readinesProbe/);
    expect(errors.join('\n')).toMatch(/argoproj.io\/v1alpha1\/Rollout api: .*stepz/);
  });
});
