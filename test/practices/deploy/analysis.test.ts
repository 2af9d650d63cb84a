import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { computeModel } from '../../../src/tree/compute.js';
import { METRIC_EXPORT_INTERVAL_MS, SDK_DEFAULT_METRIC_EXPORT_INTERVAL_MS } from '../../../src/model/telemetry.js';
import { ANALYSIS_MAX_BURN, analysisTemplate } from '../../../src/practices/deploy/rollout.js';
import { makeSpec } from '../../helpers/spec.js';
import { haveTool } from '../../validators/tool.js';
import type { KubeObject } from '../../validators/kustomize.js';
import { typecheckObjects, validateWithModels } from '../../validators/kube-models.js';
import { checkRules, testRules } from '../../validators/promtool.js';
import { CASES, buildCase, workloadOf, type Built } from '../gitops/cases.js';

/**
 * Issue 9, items 4 and 5: the rollout gate judges the NEW version against the STABLE one, in
 * the Rollout's own namespace, over windows derived from the metric export interval, with a
 * margin below the objective and an inconclusive limit.
 */

// canary (node): observability on; bluegreen (python): observability off.
const [, CANARY, BLUEGREEN] = CASES as [unknown, (typeof CASES)[number], (typeof CASES)[number]];
const ENVS = ['staging', 'production'] as const;

const find = (objs: KubeObject[], kind: string) => objs.find((o) => o['kind'] === kind)!;

/** Every analysis reference of a Rollout (canary steps, or blue/green pre and post). */
function analysisRefs(rollout: KubeObject): KubeObject[] {
  const s = rollout['spec']['strategy'];
  if (s.canary) return s.canary.steps.filter((x: KubeObject) => 'analysis' in x).map((x: KubeObject) => x['analysis']);
  return [s.blueGreen.prePromotionAnalysis, s.blueGreen.postPromotionAnalysis].filter(Boolean);
}

/**
 * The args an AnalysisRun of this Rollout gets, resolved as the controller does
 * (utils/analysis/factory.go): `metadata.*` field paths against the Rollout, pod-template hashes
 * from the new (Latest) and stable ReplicaSets.
 */
function resolvedArgs(rollout: KubeObject, ref: KubeObject, hashes = { Latest: 'newhash', Stable: 'oldhash' }): Record<string, string | undefined> {
  return Object.fromEntries(
    (ref['args'] as KubeObject[]).map((a) => {
      if (a['value'] !== undefined) return [a['name'], a['value']];
      const from = a['valueFrom'];
      if (from.podTemplateHashValue) return [a['name'], hashes[from.podTemplateHashValue as 'Latest' | 'Stable']];
      if (from.fieldRef.fieldPath !== 'metadata.namespace') throw new Error(`unsupported fieldPath ${from.fieldRef.fieldPath}`);
      return [a['name'], rollout['metadata']['namespace']];
    }),
  );
}

/** Substitute `{{args.x}}` as Argo Rollouts does before it sends the query; every placeholder must resolve. */
function substitute(query: string, args: Record<string, string>): string {
  const out = query.replace(/\{\{\s*args\.([\w-]+)\s*\}\}/g, (_, name: string) => {
    if (args[name] === undefined) throw new Error(`no value for args.${name}`);
    return args[name]!;
  });
  expect(out).not.toContain('{{');
  return out;
}

const metrics = (template: KubeObject): KubeObject[] => template['spec']['metrics'];
const queries = (template: KubeObject): { name: string; query: string }[] =>
  metrics(template).map((m) => ({ name: m['name'], query: m['provider']['prometheus']['query'] }));
/** Each series selector of a query: `{job="{{args.service}}",…}` (placeholders hold braces of their own). */
const selectors = (query: string): string[] => query.match(/\{job="\{\{args\.service\}\}"(?:[^{}]|\{\{[^}]*\}\})*\}/g) ?? [];
const seconds = (d: string): number => Number(d.slice(0, -1)) * ({ s: 1, m: 60, h: 3600 } as Record<string, number>)[d.slice(-1)]!;

describe.runIf(haveTool('kubectl'))('deploy: the rollout analysis judges the new version against the stable one', () => {
  const built = new Map<string, Built>();
  beforeAll(() => {
    for (const c of [CANARY, BLUEGREEN]) built.set(c.name, buildCase(c.spec));
  });
  const objects = (c: typeof CANARY, env: string) => built.get(c.name)!.builds.get(`${c.spec.services[0]!.name}/${env}`)!;

  it.each([CANARY, BLUEGREEN])('$name: every analysis passes the service, the Rollout’s own namespace and the Latest and Stable hashes', (c) => {
    expect(built.get(c.name)!.failures).toEqual([]);
    for (const env of ENVS) {
      const rollout = find(objects(c, env), 'Rollout');
      const refs = analysisRefs(rollout);
      // Canary: one per weight; blue/green: after the switch only.
      expect(refs.length).toBe(c === CANARY ? 3 : 1);
      for (const ref of refs) {
        expect(ref['args']).toEqual([
          { name: 'service', value: c.spec.services[0]!.name },
          { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
          { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
        ]);
        expect(resolvedArgs(rollout, ref)).toEqual({
          service: c.spec.services[0]!.name,
          namespace: `${c.spec.project.name}-${env}`,
          'canary-hash': 'newhash',
          'stable-hash': 'oldhash',
        });
      }
      const template = find(objects(c, env), 'AnalysisTemplate');
      expect(template['spec']['args']).toEqual([{ name: 'service' }, { name: 'namespace' }, { name: 'canary-hash' }, { name: 'stable-hash' }]);
    }
  });

  it.each([CANARY, BLUEGREEN])('$name: every series selector pins the namespace and one ReplicaSet, never the self-declared environment', (c) => {
    for (const { query } of queries(find(objects(c, 'production'), 'AnalysisTemplate'))) {
      const sels = selectors(query);
      expect(sels.length).toBeGreaterThanOrEqual(4);
      for (const s of sels) {
        expect(s).toContain('k8s_namespace_name="{{args.namespace}}"');
        expect(s).toMatch(/k8s_pod_label_rollouts_pod_template_hash="\{\{args\.(canary|stable)-hash\}\}"/);
        expect(s).not.toContain('deployment_environment_name');
      }
      // Both versions are read: the new one in the numerator, the stable one in the allowance.
      expect(query).toContain('{{args.canary-hash}}');
      expect(query).toContain('{{args.stable-hash}}');
    }
  });

  it.each([
    [CANARY, METRIC_EXPORT_INTERVAL_MS],
    [BLUEGREEN, SDK_DEFAULT_METRIC_EXPORT_INTERVAL_MS],
  ] as const)('%#: every window holds at least four metric exports, derived from the one export interval', (c, exportMs) => {
    const objs = objects(c, 'production');
    const app = workloadOf(objs, c.spec.services[0]!.name)!['spec']['template']['spec']['containers'][0];
    const env = (app.env ?? []) as KubeObject[];
    // The pods export at the interval the analysis assumes (observability sets it; the SDK default otherwise).
    expect(env.find((e) => e.name === 'OTEL_METRIC_EXPORT_INTERVAL')?.value ?? String(SDK_DEFAULT_METRIC_EXPORT_INTERVAL_MS)).toBe(String(exportMs));
    for (const m of metrics(find(objs, 'AnalysisTemplate'))) {
      const windows = [...String(m['provider']['prometheus']['query']).matchAll(/\[(\d+[smh])\]/g)].map((x) => seconds(x[1]!));
      expect(new Set(windows).size).toBe(1);
      expect(windows[0]! * 1000).toBeGreaterThanOrEqual(4 * exportMs);
      // One measurement per window: no two measurements share data.
      expect(seconds(m['interval'])).toBe(windows[0]);
    }
    const rollout = find(objs, 'Rollout');
    const pauses = (rollout['spec']['strategy']['canary']?.steps ?? []).filter((s: KubeObject) => 'pause' in s);
    for (const p of pauses) expect(seconds(p.pause.duration)).toBeGreaterThanOrEqual(seconds(metrics(find(objs, 'AnalysisTemplate'))[0]!['interval']));
  });

  it('a margin, failure and inconclusive limits: no traffic is inconclusive, a few quiet windows are tolerated', () => {
    for (const m of metrics(find(objects(CANARY, 'production'), 'AnalysisTemplate'))) {
      expect(m).toMatchObject({ count: 5, failureLimit: 1, inconclusiveLimit: 2, consecutiveErrorLimit: 4 });
      expect(m['successCondition']).toBe('len(result) > 0 && !isNaN(result[0]) && result[0] <= 1');
      expect(m['failureCondition']).toBe('len(result) > 0 && !isNaN(result[0]) && result[0] > 1');
    }
  });

  it('the template header documents the gate, the timing and `promote --full` for incidents', () => {
    const header = built.get(CANARY.name)!.record['deploy/api/base/analysistemplate.yaml']!;
    expect(header).toMatch(/NEW version .* against the STABLE one/);
    expect(header).toMatch(/kubectl argo rollouts promote --full api/);
    expect(header).toMatch(/every 15s \(OTEL_METRIC_EXPORT_INTERVAL\)/);
    expect(built.get(BLUEGREEN.name)!.record['deploy/books/base/analysistemplate.yaml']).toMatch(/^# WARNING: without the observability practice/m);
  });

  it('kube-models: the Rollouts and AnalysisTemplates validate, unknown fields included; a wrong podTemplateHashValue is rejected', () => {
    const objs = [CANARY, BLUEGREEN].flatMap((c) => ENVS.flatMap((env) => objects(c, env)))
      .filter((o) => o['kind'] === 'Rollout' || o['kind'] === 'AnalysisTemplate');
    expect(objs).toHaveLength(8);
    expect(validateWithModels(objs)).toEqual([]);
    expect(typecheckObjects(objs)).toEqual([]);

    // Broken on purpose: an argument with an unknown source field.
    const bad = structuredClone(find(objects(CANARY, 'staging'), 'Rollout'));
    analysisRefs(bad)[0]!['args'][2]['valueFrom']['podTemplateHash'] = 'Latest';
    expect(typecheckObjects([bad]).join('\n')).toMatch(/podTemplateHash/);
  });

  describe.runIf(haveTool('promtool'))('promtool', () => {
    const NS = 'shop-production';
    /** The template's queries as recording rules `analysis:<slo>`, args substituted as for a production canary. */
    function recordingRules(template: KubeObject) {
      return queries(template).map(({ name, query }) => ({
        record: `analysis:${name}`,
        expr: substitute(query, { service: 'api', namespace: NS, 'canary-hash': 'newhash', 'stable-hash': 'oldhash' }),
      }));
    }
    const write = (dir: string, file: string, value: unknown) => {
      writeFileSync(join(dir, file), stringify(value));
      return file;
    };

    it.each([CANARY, BLUEGREEN])('$name: the queries are valid PromQL (check rules)', (c) => {
      const dir = mkdtempSync(join(tmpdir(), 'devops-init-analysis-'));
      const rules = recordingRules(find(objects(c, 'production'), 'AnalysisTemplate'));
      const good = write(dir, 'good.yml', { groups: [{ name: 'analysis', rules }] });
      const ok = checkRules([good], dir);
      expect(ok.output).toMatch(/SUCCESS/);
      expect(ok.code).toBe(0);
      const bad = write(dir, 'bad.yml', { groups: [{ name: 'analysis', rules: [{ ...rules[0]!, expr: rules[0]!.expr.replace(/\[(\d+[smh])\]/, '[$1') }] }] });
      expect(checkRules([bad], dir).code).not.toBe(0);
    });

    /** One ReplicaSet's traffic, per minute, sampled every 15 s like the services export it. */
    interface Traffic {
      namespace?: string;
      hash: string;
      perMinute: number;
      /** Share of 5xx responses. */
      errors: number;
      /** Share of requests slower than the 250 ms threshold. */
      slow: number;
    }
    function series(t: Traffic): { series: string; values: string }[] {
      const labels = `job="api",k8s_namespace_name="${t.namespace ?? NS}",k8s_pod_label_rollouts_pod_template_hash="${t.hash}"`;
      const per15s = t.perMinute / 4;
      const counter = (n: number) => `0+${Number(n.toFixed(6))}x40`;
      return [
        { series: `http_server_request_duration_seconds_count{${labels},http_response_status_code="200"}`, values: counter(per15s * (1 - t.errors)) },
        { series: `http_server_request_duration_seconds_count{${labels},http_response_status_code="500"}`, values: counter(per15s * t.errors) },
        { series: `http_server_request_duration_seconds_bucket{${labels},http_response_status_code="200",le="0.25"}`, values: counter(per15s * (1 - t.slow)) },
      ];
    }
    /** A scenario: its traffic, and whether each SLO's verdict passes (<= 1), fails, or is empty (inconclusive). */
    function scenario(name: string, traffic: Traffic[], verdict: Record<'availability' | 'latency', 'pass' | 'fail' | 'inconclusive'>) {
      return {
        name,
        interval: '15s',
        input_series: traffic.flatMap(series),
        promql_expr_test: (['availability', 'latency'] as const).map((slo) => ({
          expr: verdict[slo] === 'inconclusive' ? `analysis:${slo}` : `analysis:${slo} <= bool 1`,
          eval_time: '8m',
          exp_samples: verdict[slo] === 'inconclusive' ? [] : [{ labels: '{}', value: verdict[slo] === 'pass' ? 1 : 0 }],
        })),
      };
    }
    const busy = 1200;
    const TESTS = [
      // A version exactly at its 99.9% objective (0.1% errors and slow) must pass: the old gate
      // (success >= objective over 2m) failed such a service in about half of all windows.
      scenario('at the objective, like the stable version: passes', [
        { hash: 'oldhash', perMinute: busy, errors: 0.001, slow: 0.001 },
        { hash: 'newhash', perMinute: busy / 10, errors: 0.001, slow: 0.001 },
      ], { availability: 'pass', latency: 'pass' }),
      // Just under the margin (5 x budget = 0.5%) passes; twice it fails.
      scenario(`below ${ANALYSIS_MAX_BURN}x the budget passes`, [
        { hash: 'oldhash', perMinute: busy, errors: 0, slow: 0 },
        { hash: 'newhash', perMinute: busy, errors: 0.004, slow: 0.004 },
      ], { availability: 'pass', latency: 'pass' }),
      scenario('a regression (2% errors, 1% slow while stable is clean) fails', [
        { hash: 'oldhash', perMinute: busy, errors: 0, slow: 0 },
        { hash: 'newhash', perMinute: busy / 10, errors: 0.02, slow: 0.01 },
      ], { availability: 'fail', latency: 'fail' }),
      // An incident in the current version must not block its fix: 3% errors while stable
      // has 10% passes; a "fix" worse than the incident fails.
      scenario('during an incident in the stable version, a better fix passes', [
        { hash: 'oldhash', perMinute: busy, errors: 0.1, slow: 0.2 },
        { hash: 'newhash', perMinute: busy / 10, errors: 0.03, slow: 0.05 },
      ], { availability: 'pass', latency: 'pass' }),
      scenario('during an incident in the stable version, a worse one fails', [
        { hash: 'oldhash', perMinute: busy, errors: 0.1, slow: 0.2 },
        { hash: 'newhash', perMinute: busy / 10, errors: 0.3, slow: 0.5 },
      ], { availability: 'fail', latency: 'fail' }),
      // Blue/green after the switch: the old pods get no traffic; the absolute margin alone decides.
      scenario('no stable traffic: the margin alone decides', [
        { hash: 'oldhash', perMinute: 0, errors: 0, slow: 0 },
        { hash: 'newhash', perMinute: busy, errors: 0.001, slow: 0.001 },
      ], { availability: 'pass', latency: 'pass' }),
      // Nobody called the new version (blue/green preview without smoke traffic): no sample.
      scenario('no traffic on the new version: inconclusive (empty result)', [
        { hash: 'oldhash', perMinute: busy, errors: 0, slow: 0 },
        { hash: 'newhash', perMinute: 0, errors: 0, slow: 0 },
      ], { availability: 'inconclusive', latency: 'inconclusive' }),
      // Series claiming the same service and hashes from other namespaces (a preview, staging)
      // failing outright change nothing: the namespace is the collector's, not theirs.
      scenario('series from other namespaces are ignored', [
        { hash: 'oldhash', perMinute: busy, errors: 0, slow: 0 },
        { hash: 'newhash', perMinute: busy / 10, errors: 0, slow: 0 },
        { namespace: 'shop-pr-7', hash: 'newhash', perMinute: busy * 10, errors: 1, slow: 1 },
        { namespace: 'shop-staging', hash: 'newhash', perMinute: busy * 10, errors: 1, slow: 1 },
      ], { availability: 'pass', latency: 'pass' }),
    ];

    it('canary: each scenario gives the verdict a senior reviewer expects (test rules)', () => {
      const template = find(objects(CANARY, 'production'), 'AnalysisTemplate');
      expect(queries(template).map((q) => q.name)).toEqual(['availability', 'latency']);
      const dir = mkdtempSync(join(tmpdir(), 'devops-init-analysis-verdict-'));
      write(dir, 'rules.yml', { groups: [{ name: 'analysis', interval: '15s', rules: recordingRules(template) }] });
      const test = write(dir, 'test.yml', { rule_files: ['rules.yml'], evaluation_interval: '15s', tests: TESTS });
      const r = testRules([test], dir);
      expect(r.output).toMatch(/SUCCESS/);
      expect(r.code).toBe(0);

      // Broken on purpose: without the namespace matcher, the preview's and staging's failing
      // series count against production's canary.
      const unpinned = recordingRules(template).map((rule) => ({ ...rule, expr: rule.expr.replaceAll(`k8s_namespace_name="${NS}",`, '') }));
      write(dir, 'rules.yml', { groups: [{ name: 'analysis', interval: '15s', rules: unpinned }] });
      const mixed = testRules([test], dir);
      expect(mixed.code).not.toBe(0);
      // Only that scenario's two verdicts flip from pass to fail (promtool does not print group names).
      expect(mixed.output.match(/expr: "analysis:(availability|latency) <= bool 1"/g)).toHaveLength(2);
      expect(mixed.output).toMatch(/exp: \{\} 1E\+00\s+got: \{\} 0E\+00/);
    });
  });
});

describe('deploy: the analysis selector and metrics.selector', () => {
  const spec = (practices: string[], selector?: Record<string, string>) =>
    makeSpec({
      practices: practices as never,
      services: [{ name: 'api', path: '.', language: 'node', deploy: { strategy: 'canary' }, ...(selector ? { metrics: { selector } } : {}) }],
    });
  const query = (s: ReturnType<typeof spec>) => String((analysisTemplate(s, computeModel(s), s.services[0]!)['spec'] as KubeObject)['metrics'][0]['provider']['prometheus']['query']);

  it('the SLOs’ production filter (environment or namespace) gives way to the Rollout’s namespace; other matchers stay', () => {
    for (const filter of [{ deployment_environment_name: 'production' }, { k8s_namespace_name: 'shop-production' }] as Record<string, string>[]) {
      const q = query(spec(['gitops', 'deploy', 'observability'], { ...filter, cluster: 'eu-1' }));
      expect(q).toContain('{job="{{args.service}}",cluster="eu-1",k8s_namespace_name="{{args.namespace}}",k8s_pod_label_rollouts_pod_template_hash="{{args.canary-hash}}"');
      expect(q).not.toMatch(/production"/);
    }
  });

  it('without observability the warning says what really happens: errors abort, missing series pause', () => {
    const s = spec(['gitops', 'deploy']);
    const warnings = computeModel(s).warnings.filter((w) => w.owner === 'deploy').map((w) => w.text);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/every measurement errors; once more than 4 in a row have errored \(consecutiveErrorLimit\) the AnalysisRun errors and Argo Rollouts aborts the rollout/);
    expect(warnings[0]).toMatch(/no such series, each measurement is inconclusive; once more than 2 are \(inconclusiveLimit\) the rollout pauses/);
    expect(warnings[0]).not.toMatch(/stays inconclusive and the rollout pauses\./);
    expect(computeModel(spec(['gitops', 'deploy', 'observability'])).warnings.filter((w) => w.owner === 'deploy')).toEqual([]);
  });
});
