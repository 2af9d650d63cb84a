import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_LABEL } from '../../../src/model/labels.js';
import { makeSpec, renderRecord } from '../../helpers/spec.js';
import { typecheckObjects, validateWithModels } from '../../validators/kube-models.js';
import { parseObjects, type KubeObject } from '../../validators/kustomize.js';
import { buildCase, OVERLAYS } from './cases.js';

/**
 * Issue 10: the workload follows the service's kind (web, grpc, worker, job, cronjob), its
 * probes follow services[].probes, and requiredEnv comes from the <service>-config Secret.
 * Every overlay and the previews build with kubectl kustomize; every object validates with
 * kubernetes-models (schema and excess properties).
 */

type Obj = Record<string, any>;

const KINDS = {
  web: { name: 'api', path: 'api', language: 'java', healthPath: '/ready', probes: { type: 'http', path: '/actuator/health/liveness', readinessPath: '/actuator/health/readiness' }, requiredEnv: ['DATABASE_URL', 'API_KEY'] },
  grpc: { name: 'ads', path: 'ads', language: 'go', kind: 'grpc', port: 9555 },
  worker: { name: 'consumer', path: 'consumer', language: 'python', kind: 'worker' },
  job: { name: 'migrate', path: 'migrate', language: 'node', kind: 'job' },
  cronjob: { name: 'report', path: 'report', language: 'go', kind: 'cronjob', schedule: '15 2 * * *', requiredEnv: ['SMTP_URL'] },
};

const spec = makeSpec({ practices: ['ci', 'gitops', 'observability', 'monitoring'], services: Object.values(KINDS) });
const built = buildCase(spec);

const objectsOf = (svc: string, overlay: string): KubeObject[] => built.builds.get(`${svc}/${overlay}`) ?? [];
const kindsOf = (svc: string, overlay = 'production'): string[] => objectsOf(svc, overlay).map((o) => o['kind']).sort();
const one = (svc: string, kind: string, overlay = 'production'): Obj => objectsOf(svc, overlay).find((o) => o['kind'] === kind)!;
const podSpec = (o: Obj): Obj => (o['kind'] === 'CronJob' ? o['spec']['jobTemplate']['spec']['template']['spec'] : o['spec']['template']['spec']);
const app = (o: Obj): Obj => podSpec(o)['containers'][0];

describe('workloads by kind', () => {
  it('every overlay of every kind, and the previews, build with kubectl kustomize', () => {
    expect(built.failures).toEqual([]);
    for (const svc of spec.services) for (const o of OVERLAYS) expect(built.builds.has(`${svc.name}/${o}`)).toBe(true);
    expect(built.builds.has('previews')).toBe(true);
  });

  it('every built object and Argo CD object validates with kubernetes-models', () => {
    const all = [...built.builds.values()].flat();
    expect(validateWithModels(all)).toEqual([]);
    expect(validateWithModels(built.argocd)).toEqual([]);
    expect(typecheckObjects(all.filter((o) => ['Job', 'CronJob', 'Deployment', 'Service'].includes(o['kind'])))).toEqual([]);
  }, 120_000);

  it('web: Deployment, Service on http, HPA, PDB; actuator liveness and readiness paths', () => {
    expect(kindsOf('api')).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    const c = app(one('api', 'Deployment'));
    expect(c['ports']).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(c['livenessProbe']['httpGet']).toEqual({ path: '/actuator/health/liveness', port: 'http' });
    expect(c['startupProbe']['httpGet']).toEqual({ path: '/actuator/health/liveness', port: 'http' });
    expect(c['readinessProbe']['httpGet']).toEqual({ path: '/actuator/health/readiness', port: 'http' });
  });

  it('grpc: port named grpc, gRPC probes on the port, Service with appProtocol grpc', () => {
    const c = app(one('ads', 'Deployment'));
    expect(c['ports']).toEqual([{ name: 'grpc', containerPort: 9555, protocol: 'TCP' }]);
    for (const p of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(c[p]['grpc']).toEqual({ port: 9555 });
    expect(one('ads', 'Service')['spec']['ports']).toEqual([{ name: 'grpc', port: 9555, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'grpc' }]);
  });

  it('worker: no Service, no ports, no probes by default, HPA on CPU only, no preStop', () => {
    expect(kindsOf('consumer')).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceAccount']);
    const c = app(one('consumer', 'Deployment'));
    expect(c['ports']).toBeUndefined();
    expect(c['livenessProbe']).toBeUndefined();
    expect(c['readinessProbe']).toBeUndefined();
    expect(c['lifecycle']).toBeUndefined();
    expect(one('consumer', 'HorizontalPodAutoscaler')['spec']['metrics'].map((m: Obj) => m['resource']['name'])).toEqual(['cpu']);
    expect(built.record['deploy/consumer/base/deployment.yaml']).toContain('No probes: a worker listens on no port');
  });

  it('worker with a TCP probe on its own port: liveness only (no readiness: nothing routes to it)', () => {
    const s = makeSpec({ practices: ['gitops'], services: [{ ...KINDS.worker, probes: { type: 'tcp', port: 9000 } }] });
    const d = parseObjects(renderRecord(s)['deploy/consumer/base/deployment.yaml']!)[0]!;
    expect(app(d)['livenessProbe']['tcpSocket']).toEqual({ port: 9000 });
    expect(app(d)['readinessProbe']).toBeUndefined();
  });

  it('job: a Job with backoffLimit, restricted pod, Replace on sync; no Service, HPA, PDB or probes', () => {
    expect(kindsOf('migrate')).toEqual(['Job', 'ServiceAccount']);
    const j = one('migrate', 'Job');
    expect(j['spec']['backoffLimit']).toBe(3);
    expect(j['metadata']['annotations']['argocd.argoproj.io/sync-options']).toBe('Force=true,Replace=true');
    const pod = podSpec(j);
    expect(pod['restartPolicy']).toBe('Never');
    expect(pod['securityContext']).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(app(j)['securityContext']).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    for (const p of ['startupProbe', 'readinessProbe', 'livenessProbe', 'ports', 'lifecycle']) expect(app(j)[p]).toBeUndefined();
    // The overlay pinned the digest and copied it onto the pod template.
    expect(app(j)['image']).toMatch(/@sha256:0{64}$/);
    expect(j['spec']['template']['metadata']['annotations']['app.kubernetes.io/version']).toBe(`sha256:${'0'.repeat(64)}`);
  });

  it('cronjob: the schedule from devops.yaml, Forbid, backoffLimit; the digest lands in the job template', () => {
    expect(kindsOf('report')).toEqual(['CronJob', 'ServiceAccount']);
    const cj = one('report', 'CronJob');
    expect(cj['spec']).toMatchObject({ schedule: '15 2 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
    expect(cj['spec']['jobTemplate']['spec']['backoffLimit']).toBe(3);
    expect(podSpec(cj)['restartPolicy']).toBe('Never');
    expect(app(cj)['image']).toMatch(/@sha256:0{64}$/);
    expect(cj['spec']['jobTemplate']['spec']['template']['metadata']['annotations']['app.kubernetes.io/version']).toBe(`sha256:${'0'.repeat(64)}`);
    expect(cj['spec']['jobTemplate']['spec']['template']['metadata']['labels'][ENVIRONMENT_LABEL]).toBe('production');
  });

  it('requiredEnv: each variable from the <service>-config Secret, never a value', () => {
    const env = app(one('api', 'Deployment'))['env'] as Obj[];
    for (const name of KINDS.web.requiredEnv) {
      expect(env.find((e) => e['name'] === name)).toEqual({ name, valueFrom: { secretKeyRef: { name: 'api-config', key: name, optional: false } } });
    }
    const cronEnv = app(one('report', 'CronJob'))['env'] as Obj[];
    expect(cronEnv.find((e) => e['name'] === 'SMTP_URL')!['valueFrom']['secretKeyRef']['name']).toBe('report-config');
    expect(app(one('consumer', 'Deployment'))['env']?.some((e: Obj) => e['valueFrom']?.['secretKeyRef'])).toBeFalsy();
  });

  it('previews carry every kind with its PR tag and version annotation', () => {
    const p = built.builds.get('previews')!;
    const cj = p.find((o) => o['kind'] === 'CronJob')!;
    expect(app(cj)['image']).toMatch(/:/);
    expect(cj['spec']['jobTemplate']['spec']['template']['metadata']['annotations']['app.kubernetes.io/version']).toBeDefined();
    // A preview's CronJob does not run on the schedule; staging and production's do.
    expect(cj['spec']['suspend']).toBe(true);
    expect(one('report', 'CronJob')['spec']['suspend']).toBeUndefined();
    expect(p.filter((o) => o['kind'] === 'Service').map((o) => o['metadata']['name']).sort()).toEqual(['ads', 'api']);
  });
});
