import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { METRIC_EXPORT_INTERVAL_MS, POD_TEMPLATE_HASH_ATTRIBUTE } from '../../../src/model/telemetry.js';
import { observabilityPractice } from '../../../src/practices/observability/index.js';
import { otelEnv } from '../../../src/practices/observability/otel.js';
import { computeModel } from '../../../src/tree/compute.js';
import { makeSpec, renderRecord } from '../../helpers/spec.js';
import { haveTool } from '../../validators/tool.js';
import { testRules } from '../../validators/promtool.js';
import { nodeSpec } from './fixtures.js';
import { renderPracticeRecord } from './render.js';

/**
 * Issue 9, item 1 (SLI trust): SLO rules and rollout analysis select series by attributes the
 * collector derives from the sending pod, which a workload (a preview running pull-request code)
 * cannot forge. k8sattributes never overwrites an attribute the client already sent, and
 * associating pods by a client-sent k8s.pod.uid lets a pod claim another's identity, so the
 * collector drops client k8s.* attributes and associates by the connection only.
 */

type Obj = Record<string, any>;
const CONFIG = 'observability/collector/config.yaml';
const collector = (spec = nodeSpec()): Obj => parse(renderPracticeRecord(observabilityPractice, spec)[CONFIG]!) as Obj;

describe('collector: k8s attributes are facts the collector establishes, not claims', () => {
  it('drops every client-sent k8s.* attribute before k8sattributes runs, in every pipeline', () => {
    const cfg = collector();
    const strip = Object.entries(cfg['processors']).find(([, p]) => JSON.stringify(p).includes('^k8s\\\\.'))!;
    expect(strip[0]).toBe('resource/drop-client-k8s');
    expect(strip[1]).toEqual({ attributes: [{ pattern: '^k8s\\.', action: 'delete' }] });
    const re = new RegExp((strip[1] as { attributes: { pattern: string }[] }).attributes[0]!.pattern);
    expect(['k8s.namespace.name', 'k8s.pod.uid', 'k8s.pod.ip', 'k8s.pod.label.rollouts-pod-template-hash'].every((k) => re.test(k))).toBe(true);
    expect(['service.name', 'deployment.environment.name', 'service.instance.id'].some((k) => re.test(k))).toBe(false);
    for (const [name, pipeline] of Object.entries(cfg['service']['pipelines']) as [string, Obj][]) {
      const procs: string[] = pipeline['processors'];
      expect(procs.indexOf('resource/drop-client-k8s'), name).toBeGreaterThan(-1);
      expect(procs.indexOf('resource/drop-client-k8s'), name).toBeLessThan(procs.indexOf('k8s_attributes'));
    }
  });

  it('associates telemetry with a pod by the connection only (no client-sent UID or IP)', () => {
    for (const version of ['0.120.0', '0.147.0']) {
      const cfg = collector(nodeSpec({ observability: { collectorVersion: version } }));
      const k8s = cfg['processors'][version === '0.120.0' ? 'k8sattributes' : 'k8s_attributes'];
      expect(k8s['pod_association']).toEqual([{ sources: [{ from: 'connection' }] }]);
      expect(k8s['passthrough']).toBe(false);
      expect(k8s['extract']['metadata']).toContain('k8s.namespace.name');
      // The ReplicaSet hash the rollout analysis compares, from the pod's label.
      expect(k8s['extract']['labels']).toEqual([{ tag_name: POD_TEMPLATE_HASH_ATTRIBUTE, key: 'rollouts-pod-template-hash', from: 'pod' }]);
    }
  });

  it('services no longer send k8s.pod.uid (or any k8s.*), and export metrics every 15 s', () => {
    const spec = nodeSpec();
    const env = otelEnv(spec, spec.services[0]!, 'production', false);
    const attrs = env.find((e) => e.name === 'OTEL_RESOURCE_ATTRIBUTES')!.value!.split(',');
    expect(attrs.filter((a) => a.startsWith('k8s.'))).toEqual([]);
    expect(env.find((e) => e.name === 'OTEL_METRIC_EXPORT_INTERVAL')?.value).toBe(String(METRIC_EXPORT_INTERVAL_MS));
    expect(METRIC_EXPORT_INTERVAL_MS).toBe(15_000);
  });

  it('Prometheus promotes the collector-derived namespace and ReplicaSet hash to labels', () => {
    const app = parse(renderRecord(nodeSpec())['deploy/argocd/apps/kube-prometheus-stack.yaml']!) as Obj;
    const promoted: string[] = app['spec']['source']['helm']['valuesObject']['prometheus']['prometheusSpec']['otlp']['promoteResourceAttributes'];
    expect(promoted).toEqual(expect.arrayContaining(['k8s.namespace.name', POD_TEMPLATE_HASH_ATTRIBUTE]));
  });
});

describe('monitoring: production SLOs count only series from the production namespace', () => {
  const spec = makeSpec({ practices: ['gitops', 'observability', 'monitoring'] });

  /** The service's rule groups, as promtool.sh extracts them from its PrometheusRule (JSON is YAML). */
  const groups = (record: Record<string, string>, file: string) => JSON.stringify({ groups: (parse(record[`monitoring/kubernetes/${file}`]!) as { spec: { groups: unknown } }).spec.groups });

  it('selects by the collector-derived namespace, not by the environment a service declares', () => {
    const rules = renderRecord(spec)['monitoring/kubernetes/api-prometheusrule.yaml']!;
    expect(rules).toContain('k8s_namespace_name=\\"shop-production\\"');
    expect(rules).not.toContain('deployment_environment_name');
    // Without gitops the namespace is unknown: the declared environment, documented as a claim.
    const noGitops = renderRecord(makeSpec({ practices: ['observability', 'monitoring'] }));
    expect(noGitops['monitoring/kubernetes/api-prometheusrule.yaml']).toContain('deployment_environment_name=\\"production\\"');
    expect(noGitops['docs/slos.md']).toMatch(/declares about itself: any\s+workload that can reach the collector can claim it/);
    expect(renderRecord(spec)['docs/slos.md']).toMatch(/cannot\s+write series that count against, or flatter, production's SLOs/);
  });

  it.runIf(haveTool('promtool'))('a preview claiming to be production (at 100% errors) does not page production (test rules)', () => {
    const record = renderRecord(spec);
    const dir = mkdtempSync(join(tmpdir(), 'devops-init-sli-trust-'));
    writeFileSync(join(dir, 'rules.yml'), groups(record, 'api-prometheusrule.yaml'));
    writeFileSync(join(dir, 'shared.yml'), groups(record, 'slos.prometheusrule.yaml'));
    const series = (ns: string, code: string, perMinute: number) => ({
      series: `http_server_request_duration_seconds_count{job="api",deployment_environment_name="production",k8s_namespace_name="${ns}",http_response_status_code="${code}"}`,
      values: `0+${perMinute}x120`,
    });
    const test = {
      rule_files: ['rules.yml', 'shared.yml'],
      evaluation_interval: '1m',
      group_eval_order: ['slo-sli-recordings-api', 'slo-shared', 'slo-alerts-api'],
      tests: [
        {
          interval: '1m',
          input_series: [
            series('shop-production', '200', 1000),
            // A preview (or staging) pod declaring deployment.environment.name=production, failing outright.
            series('shop-pr-7', '500', 1000),
          ],
          alert_rule_test: [{ eval_time: '90m', alertname: 'ApiAvailabilityFastBurn', exp_alerts: [] }],
          promql_expr_test: [{ expr: 'slo:sli_error:ratio_rate1h{service="api",slo="availability"}', eval_time: '90m', exp_samples: [{ labels: 'slo:sli_error:ratio_rate1h{service="api",slo="availability"}', value: 0 }] }],
        },
      ],
    };
    writeFileSync(join(dir, 'test.yml'), stringify(test));
    const r = testRules(['test.yml'], dir);
    expect(r.output).toMatch(/SUCCESS/);
    expect(r.code).toBe(0);

    // Broken on purpose: selecting by the self-declared environment (the old rules) lets the preview page production.
    // (Quoted YAML scalars escape the quotes; block scalars do not: replace both.)
    const byClaim = groups(record, 'api-prometheusrule.yaml')
      .replaceAll('k8s_namespace_name=\\"shop-production\\"', 'deployment_environment_name=\\"production\\"')
      .replaceAll('k8s_namespace_name="shop-production"', 'deployment_environment_name="production"');
    expect(byClaim).not.toContain('shop-production');
    writeFileSync(join(dir, 'rules.yml'), byClaim);
    const fooled = testRules(['test.yml'], dir);
    expect(fooled.code).not.toBe(0);
  });

  it('the model carries the environments\' namespaces (gitops) and the trusted labels (observability)', () => {
    const model = computeModel(spec);
    expect(model.namespaces).toMatchObject({ staging: 'shop-staging', production: 'shop-production', previews: 'shop-pr-*' });
    expect(model.telemetry).toMatchObject({ namespaceLabel: 'k8s_namespace_name', podTemplateHashLabel: 'k8s_pod_label_rollouts_pod_template_hash', metricExportIntervalMs: 15_000 });
  });
});
