import { describe, expect, it } from 'vitest';
import { adoptedManifests } from '../../../src/commands/spec-from-facts.js';
import type { ExistingDeployment } from '../../../src/detect/types.js';
import { validateRaw } from '../../../src/spec/load.js';
import { makeSpec, renderRecord } from '../../helpers/spec.js';
import { validateWithModels, typecheckObjects } from '../../validators/kube-models.js';
import { parseObjects } from '../../validators/kustomize.js';
import { applicationsByName } from '../../helpers/argocd.js';

/**
 * Issue 10: what a kind cannot have is refused with its position and fix (exit 2 in the CLI),
 * and services[].manifests adopts the repository's own chart or tree.
 */

const base = { version: 1, project: { name: 'shop', repository: 'acme/shop' }, practices: ['ci', 'gitops', 'deploy', 'monitoring'] };
const issuesOf = (service: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const r = validateRaw({ ...base, ...extra, services: [{ name: 'svc', path: 'svc', language: 'go', ...service }] });
  return 'issues' in r ? r.issues.map((i) => `${i.path.join('.')}: ${i.message} | ${i.fix}`) : [];
};

describe('validation per kind', () => {
  it('a web service with canary, and a worker rolling, are fine', () => {
    expect(issuesOf({ deploy: { strategy: 'canary' } })).toEqual([]);
    expect(issuesOf({ kind: 'worker' })).toEqual([]);
    expect(issuesOf({ kind: 'cronjob', schedule: '0 3 * * *' })).toEqual([]);
  });

  it('canary or blue/green on a worker, job or cronjob is refused', () => {
    for (const kind of ['worker', 'job'] as const) {
      for (const strategy of ['canary', 'bluegreen']) {
        expect(issuesOf({ kind, deploy: { strategy } })).toEqual([expect.stringMatching(new RegExp(`^services\\.0\\.deploy\\.strategy: svc is a ${kind}: ${strategy} shifts traffic.*\\| use strategy: rolling`))]);
      }
    }
  });

  it('feature flags on a job are refused (flagd would keep the pod from completing)', () => {
    expect(issuesOf({ kind: 'job', deploy: { featureFlags: true } })).toEqual([expect.stringMatching(/^services\.0\.deploy\.featureFlags: .*flagd/)]);
  });

  it('a cronjob needs a schedule; a schedule needs a cronjob', () => {
    expect(issuesOf({ kind: 'cronjob' })).toEqual([expect.stringMatching(/^services\.0\.kind: svc is a cronjob without a schedule/)]);
    expect(issuesOf({ schedule: '0 3 * * *' })).toEqual([expect.stringMatching(/^services\.0\.schedule: svc has a schedule but is a web/)]);
  });

  it('a worker probe needs its own port; jobs get no probes', () => {
    expect(issuesOf({ kind: 'worker', probes: { type: 'tcp' } })).toEqual([expect.stringMatching(/^services\.0\.probes: .*no probes\.port/)]);
    expect(issuesOf({ kind: 'worker', probes: { type: 'tcp', port: 9000 } })).toEqual([]);
    expect(issuesOf({ kind: 'job', probes: { type: 'http', path: '/health' } })).toEqual([expect.stringMatching(/^services\.0\.probes: svc is a job/)]);
  });

  it('request SLOs on a worker are refused (its SLIs would never have data)', () => {
    expect(issuesOf({ kind: 'worker', slos: [{ name: 'availability', kind: 'availability', objective: 99.9 }] })).toEqual([expect.stringMatching(/^services\.0\.slos: svc is a worker/)]);
  });

  it('manifests: not inside gitops.dir, not the root; Helm environments name values files; no Rollout on an adopted chart', () => {
    expect(issuesOf({ manifests: { kind: 'helm', path: 'charts/svc', staging: 'values-staging.yaml' } })).toEqual([]);
    expect(issuesOf({ manifests: { kind: 'kustomize', path: 'deploy/svc' } })).toEqual([expect.stringMatching(/^services\.0\.manifests: .*inside gitops\.dir \(deploy\)/)]);
    expect(issuesOf({ manifests: { kind: 'kustomize', path: 'k8s', production: 'deploy/prod' } })).toEqual([expect.stringMatching(/inside gitops\.dir/)]);
    expect(issuesOf({ manifests: { kind: 'directory', path: '.' } })).toEqual([expect.stringMatching(/the repository root/)]);
    expect(issuesOf({ manifests: { kind: 'helm', path: 'charts/svc', staging: 'overlays/staging' } })).toEqual([expect.stringMatching(/^services\.0\.manifests\.staging: for a Helm chart/)]);
    expect(issuesOf({ manifests: { kind: 'helm', path: 'charts/svc' }, deploy: { strategy: 'canary' } })).toEqual([expect.stringMatching(/^services\.0\.deploy: .*cannot turn it into a Rollout/)]);
    expect(issuesOf({ manifests: { kind: 'helm', path: '../x' } }).length).toBeGreaterThan(0);
  });
});

describe('adopted manifests', () => {
  const spec = makeSpec({
    practices: ['ci', 'gitops'],
    services: [
      { name: 'api', path: 'api', language: 'node', manifests: { kind: 'helm', path: 'charts/api', production: 'values-prod.yaml' } },
      { name: 'web', path: 'web', language: 'node', manifests: { kind: 'kustomize', path: 'k8s/web/base', staging: 'k8s/web/overlays/staging', production: 'k8s/web/overlays/production' } },
      { name: 'jobs', path: 'jobs', language: 'go', manifests: { kind: 'directory', path: 'manifests/jobs' } },
      { name: 'own', path: 'own', language: 'go' },
    ],
  });
  const record = renderRecord(spec);
  // Helm-adopted services keep an Application file; the others are elements of the ApplicationSets.
  const apps = applicationsByName(Object.entries(record).filter(([p]) => p.startsWith('deploy/argocd/apps/')).flatMap(([, t]) => parseObjects(t)));
  const app = (name: string) => apps.get(`shop-${name}`) ?? apps.get(name)!;

  it('no generated tree for adopted services; the others keep theirs', () => {
    for (const s of ['api', 'web', 'jobs']) expect(Object.keys(record).filter((p) => p.startsWith(`deploy/${s}/`))).toEqual([]);
    expect(record['deploy/own/base/deployment.yaml']).toBeDefined();
  });

  it('Applications point at the chart (team values, then devops-init values) or the folders; they validate', () => {
    expect(app('api-staging')['spec']['source']).toMatchObject({ path: 'charts/api', helm: { releaseName: 'api', valueFiles: ['values-staging.devops-init.yaml'] } });
    expect(app('api-production')['spec']['source']['helm']['valueFiles']).toEqual(['values-prod.yaml', 'values-production.devops-init.yaml']);
    expect(app('web-staging')['spec']['source']['path']).toBe('k8s/web/overlays/staging');
    expect(app('web-production')['spec']['source']['path']).toBe('k8s/web/overlays/production');
    expect(app('jobs-production')['spec']['source']['path']).toBe('manifests/jobs');
    const apps = ['api-staging', 'api-production', 'web-staging', 'jobs-production'].map(app);
    expect(validateWithModels(apps)).toEqual([]);
    expect(typecheckObjects(apps)).toEqual([]);
  }, 120_000);

  it('the Helm chart gets a seeded values file per environment with the unpromoted digest; no promotion pins an overlay that does not exist', () => {
    expect(record['charts/api/values-staging.devops-init.yaml']).toMatch(/repository: "ghcr\.io\/acme\/shop\/api"\n {2}digest: "sha256:0{64}"/);
    expect(record['charts/api/values-production.devops-init.yaml']).toBeDefined();
    expect(record['.github/workflows/ci-api.yml']).not.toContain('promote-staging');
    expect(record['.github/workflows/ci-own.yml']).toContain('overlay: "deploy/own/overlays/staging"');
    expect(record['.github/workflows/promote.yml']).not.toMatch(/deploy\/api\b/);
  });
});

describe('adoptedManifests (spec from detection)', () => {
  const d = (path: string, kind: ExistingDeployment['kind'], services: string[]): ExistingDeployment => ({ path, kind, services });
  it('a chart deploying this service alone', () => {
    expect(adoptedManifests([d('charts/api', 'helm', ['api'])], 'api')).toEqual({ kind: 'helm', path: 'charts/api' });
  });
  it('a Kustomize tree with staging and production overlays', () => {
    const ds = [d('k8s/base', 'kustomize', ['api']), d('k8s/overlays/stage', 'kustomize', ['api']), d('k8s/overlays/prod', 'kustomize', ['api'])];
    expect(adoptedManifests(ds, 'api')).toEqual({ kind: 'kustomize', path: 'k8s/base', staging: 'k8s/overlays/stage', production: 'k8s/overlays/prod' });
  });
  it('plain manifests become a directory source', () => {
    expect(adoptedManifests([d('k8s', 'manifests', ['api'])], 'api')).toEqual({ kind: 'directory', path: 'k8s' });
  });
  it('not adopted: a chart shared by several services, one at the root, or none', () => {
    expect(adoptedManifests([d('charts/all', 'helm', ['api', 'web'])], 'api')).toBeUndefined();
    expect(adoptedManifests([d('.', 'helm', ['api'])], 'api')).toBeUndefined();
    expect(adoptedManifests([], 'api')).toBeUndefined();
  });
});
