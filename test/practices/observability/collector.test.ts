import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { observabilityPractice } from '../../../src/practices/observability/index.js';
import { componentNames } from '../../../src/practices/observability/components.js';
import { collectorStructureProblems, componentTypes } from './collector-structure.js';
import { nodeSpec } from './fixtures.js';
import { renderPracticeRecord } from './render.js';

const CONFIG = 'observability/collector/config.yaml';
const render = (version?: string) =>
  renderPracticeRecord(observabilityPractice, nodeSpec(version ? { observability: { collectorVersion: version } } : {}))[CONFIG]!;

describe('collector config (structural: no offline validator exists for collector configs)', () => {
  for (const version of ['0.120.0', '0.147.0']) {
    it(`structural: every pipeline names defined components, all are used, memory_limiter first, batch last (${version})`, () => {
      expect(collectorStructureProblems(render(version))).toEqual([]);
    });
  }

  it('structural: a pipeline naming an undefined exporter is caught', () => {
    const cfg = parse(render()) as any;
    cfg.service.pipelines.traces.exporters.push('otlp_grpc/jaeger');
    expect(collectorStructureProblems(stringify(cfg))).toContain('pipeline traces: exporter otlp_grpc/jaeger is not defined');
  });

  it('structural: wrong processor order, an unused exporter and a localhost bind are caught', () => {
    const cfg = parse(render()) as any;
    cfg.service.pipelines.metrics.processors.reverse();
    cfg.exporters['debug'] = {};
    cfg.receivers.otlp.protocols.grpc.endpoint = 'localhost:4317';
    const problems = collectorStructureProblems(stringify(cfg));
    expect(problems).toContain('pipeline metrics: memory_limiter is not the first processor');
    expect(problems).toContain('pipeline metrics: batch is not the last processor');
    expect(problems).toContain('exporter debug is defined but not used');
    expect(problems).toContain('receiver otlp: grpc endpoint is localhost:4317, expected 0.0.0.0:4317');
  });

  it('structural: text that is not YAML is caught', () => {
    expect(collectorStructureProblems('receivers: [otlp\n')[0]).toMatch(/does not parse/);
  });

  it('component names match the pinned release: pre-rename names on 0.120.0', () => {
    expect(componentTypes(render('0.120.0'))).toEqual({
      receivers: ['otlp'],
      processors: ['batch', 'k8sattributes', 'memory_limiter', 'resource'],
      exporters: ['otlp', 'otlphttp'],
      extensions: ['health_check'],
    });
  });

  it('component names match the pinned release: snake_case names on 0.147.0', () => {
    expect(componentTypes(render('0.147.0'))).toEqual({
      receivers: ['otlp'],
      processors: ['batch', 'k8s_attributes', 'memory_limiter', 'resource'],
      exporters: ['otlp_grpc', 'otlp_http'],
      extensions: ['health_check'],
    });
  });

  it('renames happen exactly at the releases that made them (exporters 0.144, k8s attributes 0.146)', () => {
    expect(componentNames('0.143.0').otlpGrpcExporter).toBe('otlp');
    expect(componentNames('0.144.0').otlpGrpcExporter).toBe('otlp_grpc');
    expect(componentNames('0.144.0').otlpHttpExporter).toBe('otlp_http');
    expect(componentNames('0.145.0').k8sAttributesProcessor).toBe('k8sattributes');
    expect(componentNames('0.146.0').k8sAttributesProcessor).toBe('k8s_attributes');
    expect(componentNames('1.0.0').k8sAttributesProcessor).toBe('k8s_attributes');
    expect(() => componentNames('0.147')).toThrow(/MAJOR.MINOR.PATCH/);
  });

  it('exports metrics to Prometheus OTLP, traces to Tempo gRPC and logs to Loki OTLP', () => {
    const cfg = parse(render()) as any;
    expect(cfg.exporters['otlp_http/prometheus'].endpoint).toBe('http://kube-prometheus-stack-prometheus.monitoring.svc:9090/api/v1/otlp');
    expect(cfg.exporters['otlp_grpc/tempo']).toEqual({ endpoint: 'tempo.monitoring.svc:4317', tls: { insecure: true } });
    expect(cfg.exporters['otlp_http/loki'].endpoint).toBe('http://loki-gateway.monitoring.svc/otlp');
  });

  it('does not stamp one environment on all telemetry; adds the cluster name only when set, never overriding', () => {
    const attrs = (c: string) => (parse(c) as any).processors.resource.attributes as { key: string; action: string }[];
    expect(attrs(render()).map((a) => a.key)).not.toContain('deployment.environment.name');
    expect(attrs(render()).map((a) => a.key)).not.toContain('k8s.cluster.name');
    const named = renderPracticeRecord(observabilityPractice, nodeSpec({ observability: { clusterName: 'prod-eu1' } }))[CONFIG]!;
    expect(attrs(named)).toContainEqual({ key: 'k8s.cluster.name', value: 'prod-eu1', action: 'insert' });
  });
});
