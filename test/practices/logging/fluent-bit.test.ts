import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loggingPractice } from '../../../src/practices/logging/index.js';
import { makeSpec } from '../../helpers/spec.js';
import { haveTool } from '../../validators/tool.js';
import { kustomizeBuild, typecheckModels, validateModels, type K8sObject } from '../observability/k8s-validate.js';
import { monorepoSpec, nodeSpec } from '../observability/fixtures.js';
import { renderPracticeRecord } from '../observability/render.js';
import { fluentBitStructureProblems, parsePairs } from './fluent-bit-structure.js';

const DIR = 'logging/fluent-bit';
const CONFIG = `${DIR}/fluent-bit.yaml`;
const config = (extra: Record<string, unknown> = {}) => renderPracticeRecord(loggingPractice, nodeSpec(extra))[CONFIG]!;

let kubectl = false;
beforeAll(() => {
  kubectl = haveTool('kubectl');
});

describe('Fluent Bit config (structural: no offline validator exists for Fluent Bit configs)', () => {
  it('structural: inputs/filters/outputs are lists of `- name:`, every match routes, kubernetes filter first, ids out of labels', () => {
    expect(fluentBitStructureProblems(config())).toEqual([]);
    expect(fluentBitStructureProblems(renderPracticeRecord(loggingPractice, monorepoSpec())[CONFIG]!)).toEqual([]);
  });

  it('structural: a trace id moved into the Loki labels is caught', () => {
    const cfg = parse(config()) as any;
    cfg.pipeline.outputs[0].labels += ", trace_id=$trace_id, pod=$kubernetes['pod_name']";
    const problems = fluentBitStructureProblems(stringify(cfg));
    expect(problems).toContain('loki label trace_id=$trace_id carries trace_id (high cardinality: use structured_metadata)');
    expect(problems).toContain("loki label pod=$kubernetes['pod_name'] carries pod (high cardinality: use structured_metadata)");
  });

  it('structural: a rename filter before the kubernetes filter, a lost match and a non-list section are caught', () => {
    const cfg = parse(config()) as any;
    cfg.pipeline.filters.reverse();
    cfg.pipeline.outputs[0].match = 'app.*';
    expect(fluentBitStructureProblems(stringify(cfg))).toEqual(
      expect.arrayContaining([
        'filter modify runs before the kubernetes filter (fields are not lifted yet)',
        'output loki: match app.* matches no input tag',
      ]),
    );
    const flat = parse(config()) as any;
    flat.pipeline.inputs = { name: 'tail' };
    expect(fluentBitStructureProblems(stringify(flat))).toContain('pipeline.inputs is not a non-empty list');
  });

  it('labels are low-cardinality; trace, span, request and pod ids travel as structured metadata', () => {
    const loki = (parse(config()) as any).pipeline.outputs[0];
    expect(parsePairs(loki.labels).map(([k]) => k)).toEqual(['job', 'namespace', 'container', 'app']);
    expect(parsePairs(loki.structured_metadata).map(([k]) => k)).toEqual(['trace_id', 'span_id', 'request_id', 'pod']);
  });

  it('normalises instrumentation field names with one modify rule per filter', () => {
    const filters = (parse(config()) as any).pipeline.filters.filter((f: any) => f.name === 'modify');
    expect(filters.map((f: any) => f.rename)).toContain('otelTraceID trace_id');
    expect(filters.map((f: any) => f.rename)).toContain('otelSpanID span_id');
    for (const f of filters) expect(Object.keys(f).sort()).toEqual(['match', 'name', 'rename']);
  });

  it('long JSON stack traces are not dropped: tail buffers well above 32k, and a still-longer line skips instead of stopping the file', () => {
    const tail = (parse(config()) as any).pipeline.inputs.find((i: any) => i.name === 'tail');
    const kib = (q: string) => Number(/^(\d+)k$/.exec(q)![1]);
    // Fluent Bit's defaults are 32k for both: a 16 KiB runtime chunk of escaped JSON exceeds that.
    expect(kib(tail.buffer_chunk_size)).toBeGreaterThanOrEqual(64);
    expect(kib(tail.buffer_max_size)).toBeGreaterThanOrEqual(6 * 16 * 1.5);
    expect(kib(tail.buffer_max_size)).toBeGreaterThan(kib(tail.buffer_chunk_size));
    // Without skip_long_lines, one over-long line stops Fluent Bit tailing that container's file.
    expect(tail.skip_long_lines).toBe(true);
    expect(tail['multiline.parser']).toBe('docker, cri');
  });

  it('the parser annotation the docs advertise names parsers that exist: the image\'s parsers file is loaded', () => {
    const cfg = parse(config()) as any;
    expect(cfg.service.parsers_file).toBe('/fluent-bit/etc/parsers.conf');
    const k8s = cfg.pipeline.filters.find((f: any) => f.name === 'kubernetes');
    expect(k8s['k8s-logging.parser']).toBe(true);
    const docs = renderPracticeRecord(loggingPractice, nodeSpec())['docs/logging.md']!;
    expect(docs).toContain('fluentbit.io/parser: <name>');
    expect(docs).toContain('/fluent-bit/etc/parsers.conf');
    expect(docs).toMatch(/buffer_max_size` \(512k/);
  });

  it('takes host, port, TLS and path prefix from logging.lokiUrl', () => {
    const loki = (text: string) => (parse(text) as any).pipeline.outputs[0];
    expect(loki(config())).toMatchObject({ host: 'loki-gateway.monitoring.svc', port: 80, tls: false, uri: '/loki/api/v1/push' });
    expect(loki(config({ logging: { lokiUrl: 'https://logs.example.com:8443/tenant-a/' } }))).toMatchObject({
      host: 'logs.example.com',
      port: 8443,
      tls: true,
      'tls.verify': true,
      uri: '/tenant-a/loki/api/v1/push',
    });
  });
});

describe('Fluent Bit DaemonSet (kubectl kustomize + kubernetes-models)', () => {
  it('builds with kubectl kustomize and validates with kubernetes-models, types included', (ctx) => {
    if (!kubectl) ctx.skip();
    const { objects, error } = kustomizeBuild(renderPracticeRecord(loggingPractice, nodeSpec()), DIR);
    expect(error).toBeUndefined();
    expect(objects.map((o) => o.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'DaemonSet', 'Namespace', 'ServiceAccount']);
    expect(validateModels(objects)).toEqual([]);
    expect(typecheckModels(objects)).toEqual([]);
  });

  it('kubernetes-models catches a broken DaemonSet (hostPath without a path)', (ctx) => {
    if (!kubectl) ctx.skip();
    const { objects } = kustomizeBuild(renderPracticeRecord(loggingPractice, nodeSpec()), DIR);
    const ds = structuredClone(objects.find((o) => o.kind === 'DaemonSet')) as any;
    delete ds.spec.template.spec.volumes[1].hostPath.path;
    expect(validateModels([ds as K8sObject]).join('\n')).toMatch(/path/);
  });

  it('is as tight as a log shipper allows: root only to read host logs, no capabilities, read-only mounts', (ctx) => {
    if (!kubectl) ctx.skip();
    const { objects } = kustomizeBuild(renderPracticeRecord(loggingPractice, nodeSpec()), DIR);
    const pod = (objects.find((o) => o.kind === 'DaemonSet') as any).spec.template.spec;
    const c = pod.containers[0];
    expect(c.securityContext).toEqual({
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.hostPID).toBeUndefined();
    const mounts = Object.fromEntries(c.volumeMounts.map((m: any) => [m.name, m]));
    expect(mounts['varlog']).toMatchObject({ mountPath: '/var/log', readOnly: true });
    expect(mounts['config'].readOnly).toBe(true);
    // Only the offset database is writable on the host.
    const writableHost = c.volumeMounts.filter((m: any) => !m.readOnly && pod.volumes.find((v: any) => v.name === m.name).hostPath);
    expect(writableHost.map((m: any) => m.mountPath)).toEqual(['/var/fluent-bit/state']);
    const cm = objects.find((o) => o.kind === 'ConfigMap') as any;
    expect(pod.volumes.find((v: any) => v.name === 'config').configMap.name).toBe(cm.metadata.name);
    expect(c.args).toEqual(['--config=/fluent-bit/etc/conf/fluent-bit.yaml']);
    const role = objects.find((o) => o.kind === 'ClusterRole') as any;
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }]);
    const ns = objects.find((o) => o.kind === 'Namespace') as any;
    expect(ns.metadata.name).toBe('logging');
  });
});

describe('docs/logging.md', () => {
  it('has the field conventions and a JSON logger for Java services too', () => {
    const spec = makeSpec({
      practices: ['logging'],
      services: [{ name: 'billing', path: '.', language: 'java' }],
    });
    const doc = renderPracticeRecord(loggingPractice, spec)['docs/logging.md']!;
    expect(doc).toContain('### Java — Logback with logstash-logback-encoder (billing)');
    expect(doc).toContain('net.logstash.logback.encoder.LogstashEncoder');
    expect(doc).toContain('MDC.put("request_id"');
    for (const field of ['timestamp', 'level', 'message', 'trace_id', 'span_id', 'request_id', 'user_id']) {
      expect(doc).toContain(`| \`${field}\` |`);
    }
    expect(doc).toMatch(/HMAC-SHA256 of the user id/);
    expect(doc).toContain('Apply it with `kubectl apply -k logging/fluent-bit`');
  });
});
