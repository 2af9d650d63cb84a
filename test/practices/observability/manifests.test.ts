import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { observabilityPractice } from '../../../src/practices/observability/index.js';
import { collectorHttpEndpoint, otelEnv } from '../../../src/practices/observability/otel.js';
import { haveTool } from '../../validators/tool.js';
import { kustomizeBuild, typecheckModels, validateModels, type K8sObject } from './k8s-validate.js';
import { monorepoSpec, nodeSpec } from './fixtures.js';
import { renderPracticeRecord } from './render.js';
import { renderRecord } from '../../helpers/spec.js';
import type { PracticeId } from '../../../src/spec/types.js';

const DIR = 'observability/collector';
let kubectl = false;
beforeAll(() => {
  kubectl = haveTool('kubectl');
});

const byKind = (objs: K8sObject[], kind: string) => objs.filter((o) => o.kind === kind) as any[];

describe('collector manifests (kubectl kustomize + kubernetes-models)', () => {
  it('build with kubectl kustomize and validate with kubernetes-models, types included', (ctx) => {
    if (!kubectl) ctx.skip();
    for (const spec of [nodeSpec(), monorepoSpec()]) {
      const { objects, error } = kustomizeBuild(renderPracticeRecord(observabilityPractice, spec), DIR);
      expect(error).toBeUndefined();
      expect(objects.map((o) => o.kind).sort()).toEqual(
        ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Deployment', 'Namespace', 'PodDisruptionBudget', 'Service', 'ServiceAccount'].sort(),
      );
      expect(validateModels(objects)).toEqual([]);
      expect(typecheckModels(objects)).toEqual([]);
    }
  });

  it('kustomize catches a broken kustomization (a resource file that is missing)', (ctx) => {
    if (!kubectl) ctx.skip();
    const files = renderPracticeRecord(observabilityPractice, nodeSpec());
    delete files[`${DIR}/service.yaml`];
    expect(kustomizeBuild(files, DIR).error).toMatch(/service\.yaml/);
  });

  it('kubernetes-models and the type check catch a wrong type and an unknown field', () => {
    const files = renderPracticeRecord(observabilityPractice, nodeSpec());
    const deployment = parseAllDocuments(files[`${DIR}/deployment.yaml`]!)[0]!.toJS() as any;
    const wrongType = structuredClone(deployment);
    wrongType.spec.replicas = 'two';
    expect(validateModels([wrongType])[0]).toMatch(/replicas/);
    const unknownField = structuredClone(deployment);
    unknownField.spec.template.spec.containers[0].securityContex = { privileged: true };
    expect(typecheckModels([unknownField]).join('\n')).toMatch(/securityContex/);
  });

  it('passes the restricted Pod Security profile and is reachable where services send OTLP', (ctx) => {
    if (!kubectl) ctx.skip();
    const spec = nodeSpec();
    const { objects } = kustomizeBuild(renderPracticeRecord(observabilityPractice, spec), DIR);
    const ns = byKind(objects, 'Namespace')[0];
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const pod = byKind(objects, 'Deployment')[0].spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of pod.containers) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.resources.limits.memory).toBeDefined();
      expect(c.livenessProbe.httpGet.port).toBe('health');
      expect(c.ports.find((p: any) => p.name === 'health').containerPort).toBe(13133);
    }
    // The ConfigMap is generated with a hash suffix and the Deployment follows it.
    const cm = byKind(objects, 'ConfigMap')[0];
    expect(cm.metadata.name).toMatch(/^otel-collector-config-[a-z0-9]+$/);
    expect(pod.volumes[0].configMap.name).toBe(cm.metadata.name);
    expect(cm.data['config.yaml']).toContain('receivers:');
    // Service otel-collector.<namespace>:4318 is exactly what services are told.
    const svc = byKind(objects, 'Service')[0];
    const endpoint = collectorHttpEndpoint(spec);
    expect(endpoint).toBe(`http://${svc.metadata.name}.${svc.metadata.namespace}.svc:4318`);
    expect(svc.spec.ports.map((p: any) => p.port)).toEqual([4317, 4318]);
    expect(otelEnv(spec, spec.services[0]!, 'staging', true).find((e) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT')?.value).toBe(endpoint);
  });

  it('grants read-only access to exactly the metadata k8sattributes reads', (ctx) => {
    if (!kubectl) ctx.skip();
    const { objects } = kustomizeBuild(renderPracticeRecord(observabilityPractice, nodeSpec()), DIR);
    const role = byKind(objects, 'ClusterRole')[0];
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['replicasets', 'deployments'], verbs: ['get', 'list', 'watch'] },
    ]);
    const binding = byKind(objects, 'ClusterRoleBinding')[0];
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'otel-collector', namespace: 'observability' }]);
  });
});

describe('OTEL_* env for services', () => {
  it('defines every $(VAR) before it is used, and sets what REFERENCE §9 asks for', () => {
    const spec = nodeSpec({ observability: { samplingRatio: 0.25 } });
    const env = otelEnv(spec, spec.services[0]!, 'production', true);
    const seen = new Set<string>();
    for (const e of env) {
      for (const ref of (e.value ?? '').matchAll(/\$\(([A-Z_0-9]+)\)/g)) expect(seen.has(ref[1]!), `${e.name} uses ${ref[1]}`).toBe(true);
      seen.add(e.name);
    }
    const get = (n: string) => env.find((e) => e.name === n)?.value;
    expect(get('OTEL_SERVICE_NAME')).toBe('api');
    expect(get('OTEL_EXPORTER_OTLP_PROTOCOL')).toBe('http/protobuf');
    expect(get('OTEL_RESOURCE_ATTRIBUTES')).toMatch(/^service\.version=\$\(SERVICE_VERSION\),deployment\.environment\.name=production,/);
    // One series per replica: service.instance.id from the pod UID (defined earlier in the list).
    expect(get('OTEL_RESOURCE_ATTRIBUTES')!.split(',')).toContain('service.instance.id=$(K8S_POD_UID)');
    expect(env.findIndex((e) => e.name === 'K8S_POD_UID')).toBeLessThan(env.findIndex((e) => e.name === 'OTEL_RESOURCE_ATTRIBUTES'));
    // Python exports the stable http.server.request.duration only when opted in.
    expect(get('OTEL_SEMCONV_STABILITY_OPT_IN')).toBe('http');
    expect(get('OTEL_TRACES_SAMPLER')).toBe('parentbased_traceidratio');
    expect(get('OTEL_TRACES_SAMPLER_ARG')).toBe('0.25');
    expect(get('OTEL_PROPAGATORS')).toBe('tracecontext,baggage');
    // stdout logs go through Fluent Bit when logging is on: no second copy over OTLP.
    expect(get('OTEL_LOGS_EXPORTER')).toBe('none');
    // Through the model: the logging practice tells the services' env that a shipper collects stdout.
    const deployment = (practices: PracticeId[]) => renderRecord(nodeSpec({ practices }))['deploy/api/base/deployment.yaml']!;
    expect(deployment(['gitops', 'observability', 'logging'])).toContain('OTEL_LOGS_EXPORTER');
    expect(deployment(['gitops', 'observability'])).not.toContain('OTEL_LOGS_EXPORTER');
  });
});
