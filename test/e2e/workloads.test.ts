import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kustomizeBuild, parseObjects, type KubeObject } from '../validators/kustomize.js';
import { validateWithModels } from '../validators/kube-models.js';
import { cleanupRepos, cli, exists, makeRepo, read } from './helpers.js';
import { applicationsByName } from '../helpers/argocd.js';

/**
 * Issue 10 end to end, with the built CLI on a repository (test/fixtures/adopt-kinds) that has:
 * - api: an Express service whose Helm chart already exists in charts/api → adopted;
 * - consumer: a Kafka consumer (no port) → a worker: no Service, no request SLOs;
 * - rustsvc: a Rust service with only its Dockerfile → built and deployed like any other.
 */

afterAll(cleanupRepos);

type Obj = Record<string, any>;

const built = (dir: string, folder: string): KubeObject[] => {
  const r = kustomizeBuild(join(dir, folder));
  expect(r.ok, `${folder}: ${r.stderr}`).toBe(true);
  return parseObjects(r.stdout);
};

describe('init on a repository with a Helm chart, a worker and a Rust service', async () => {
  const dir = makeRepo('adopt-kinds');
  const r = await cli(dir, ['init', '--yes']);
  const spec = (): Obj => parse(read(dir, 'devops.yaml')) as Obj;
  const svc = (name: string): Obj => spec()['services'].find((s: Obj) => s['name'] === name);

  it('init succeeds', () => {
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
  });

  it('the existing Helm chart is adopted: no parallel deploy/api tree; the Application deploys the chart', () => {
    expect(svc('api')['manifests']).toEqual({ kind: 'helm', path: 'charts/api' });
    expect(exists(dir, 'deploy/api')).toBe(false);
    for (const env of ['staging', 'production']) {
      const app = parse(read(dir, `deploy/argocd/apps/api-${env}.yaml`)) as Obj;
      expect(validateWithModels([app])).toEqual([]);
      expect(app['spec']['source']).toMatchObject({ path: 'charts/api', helm: { releaseName: 'api', valueFiles: [`values-${env}.devops-init.yaml`] } });
      const values = parse(read(dir, `charts/api/values-${env}.devops-init.yaml`)) as Obj;
      expect(values['image']['repository']).toBe('ghcr.io/acme/shop/api');
      expect(values['image']['digest']).toMatch(/^sha256:0{64}$/);
    }
    // No promotion edits an overlay that does not exist; the warning says what to do instead.
    expect(read(dir, '.github/workflows/ci-api.yml')).not.toContain('promote-staging');
    expect(read(dir, '.github/workflows/promote.yml')).not.toContain('deploy/api/');
    expect(r.stderr + r.stdout).toMatch(/api: Argo CD deploys the Helm chart charts\/api/);
    expect(read(dir, 'docs/gitops.md')).toContain('charts/api/values-production.devops-init.yaml');
  });

  it('the worker gets no Service, no request SLO, no SLIMissing; its required env comes from its Secret', () => {
    expect(svc('consumer')['kind']).toBe('worker');
    expect(svc('consumer')['slos'] ?? []).toEqual([]);
    const objects = built(dir, 'deploy/consumer/overlays/production');
    expect(objects.filter((o) => o['kind'] === 'Service')).toEqual([]);
    const deployment = objects.find((o) => o['kind'] === 'Deployment')!;
    const c = deployment['spec']['template']['spec']['containers'][0];
    expect(c['ports']).toBeUndefined();
    expect(c['readinessProbe']).toBeUndefined();
    expect(c['env'].find((e: Obj) => e['name'] === 'KAFKA_BROKERS')).toEqual({ name: 'KAFKA_BROKERS', valueFrom: { secretKeyRef: { name: 'consumer-config', key: 'KAFKA_BROKERS', optional: false } } });
    expect(exists(dir, 'monitoring/kubernetes/consumer-prometheusrule.yaml')).toBe(false);
    expect(exists(dir, 'monitoring/tests/consumer.test.yml')).toBe(false);
    expect(read(dir, 'monitoring/kubernetes/api-prometheusrule.yaml')).not.toContain('consumer');
    // On the shared dashboard (its CPU and memory), picked like any service.
    const dashboard = JSON.parse(Object.values((parse(read(dir, 'monitoring/dashboards/services.dashboard.yaml')) as Obj)['data'])[0] as string) as Obj;
    const variables = ((dashboard['templating'] as Obj)['list'] as Obj[]);
    expect(String(variables.find((v) => v['name'] === 'service')!['query']).split(',')).toContain('consumer');
    expect(JSON.stringify(dashboard['panels'])).toContain('container_cpu_usage_seconds_total{container=\\"$service\\"}');
    expect(read(dir, 'docs/gitops.md')).toMatch(/kubectl create secret generic consumer-config[^\n]*--from-literal=KAFKA_BROKERS=/);
  });

  it('the Dockerfile-only Rust service is built, deployed (workload + Application) and probed by TCP', () => {
    expect(svc('rustsvc')).toMatchObject({ language: 'rust', dockerfile: 'rustsvc/Dockerfile', probes: { type: 'tcp' } });
    expect(read(dir, '.github/workflows/ci-rustsvc.yml')).toContain('rustsvc/Dockerfile');
    const objects = built(dir, 'deploy/rustsvc/overlays/staging');
    expect(validateWithModels(objects)).toEqual([]);
    const c = objects.find((o) => o['kind'] === 'Deployment')!['spec']['template']['spec']['containers'][0];
    expect(c['livenessProbe']['tcpSocket']).toEqual({ port: 'http' });
    const set = parse(read(dir, 'deploy/argocd/apps/services-staging.yaml')) as Obj;
    const app = [...applicationsByName([set]).values()].find((a) => a['metadata']['name'].endsWith('-rustsvc-staging'))!;
    expect(app['spec']['source']['path']).toBe('deploy/rustsvc/overlays/staging');
  });

  it('previews leave the adopted service out and still build', () => {
    const objects = built(dir, 'deploy/previews');
    expect(objects.map((o) => o['metadata']['name'])).not.toContain('api');
    expect(objects.filter((o) => o['kind'] === 'Deployment').map((o) => o['metadata']['name']).sort()).toEqual(['consumer', 'rustsvc']);
  });

  it('check is clean right after init', async () => {
    const c = await cli(dir, ['check']);
    expect(c.exitCode, c.stdout + c.stderr).toBe(0);
  });
});

describe('strategies a kind cannot have are refused', () => {
  it('canary on a worker: exit 2, the file and the fix, nothing written', async () => {
    const dir = makeRepo('adopt-kinds');
    const r = await cli(dir, ['init', '--yes']);
    expect(r.exitCode).toBe(0);
    const text = read(dir, 'devops.yaml').replace(/(- name: consumer\n(?:\s{4}.*\n)*?\s{4}deploy:\n\s{6}strategy: )rolling/, '$1canary');
    expect(text).toContain('strategy: canary');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'devops.yaml'), text);
    const before = read(dir, 'deploy/consumer/base/deployment.yaml');
    const s = await cli(dir, ['sync']);
    expect(s.exitCode).toBe(2);
    expect(s.stderr + s.stdout).toMatch(/consumer is a worker: canary shifts traffic/);
    expect(s.stderr + s.stdout).toMatch(/devops\.yaml:\d+/);
    expect(read(dir, 'deploy/consumer/base/deployment.yaml')).toBe(before);
  });
});
