import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { computeModel } from '../../../src/tree/compute.js';
import { ENVIRONMENT_LABEL } from '../../../src/model/labels.js';
import { analysisTemplate } from '../../../src/practices/deploy/rollout.js';
import { makeSpec } from '../../helpers/spec.js';
import { haveTool } from '../../validators/tool.js';
import type { KubeObject } from '../../validators/kustomize.js';
import { typecheckObjects, validateWithModels } from '../../validators/kube-models.js';
import { checkRules, testRules } from '../../validators/promtool.js';
import { CASES, buildCase, type Built } from '../gitops/cases.js';

/**
 * The SLO analysis judges each environment on its own traffic: every Rollout passes the
 * environment it runs in (read from its own label), and with the observability practice
 * the queries keep only that environment's series.
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

/** What Argo Rollouts resolves a `fieldRef` against: the Rollout's own metadata (labels only here). */
function resolveFieldRef(rollout: KubeObject, fieldPath: string): string | undefined {
  const m = /^metadata\.labels\['([^']+)'\]$/.exec(fieldPath);
  if (!m) throw new Error(`unsupported fieldPath ${fieldPath}`);
  return rollout['metadata']['labels']?.[m[1]!];
}

/** The args an AnalysisRun of this Rollout gets, resolved as the controller does. */
function resolvedArgs(rollout: KubeObject, ref: KubeObject): Record<string, string | undefined> {
  return Object.fromEntries(
    (ref['args'] as KubeObject[]).map((a) => [a['name'], a['value'] ?? resolveFieldRef(rollout, a['valueFrom']['fieldRef']['fieldPath'])]),
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

const queries = (template: KubeObject): { name: string; query: string }[] =>
  (template['spec']['metrics'] as KubeObject[]).map((m) => ({ name: m['name'], query: m['provider']['prometheus']['query'] }));

describe.runIf(haveTool('kubectl'))('deploy: the analysis judges each environment on its own traffic', () => {
  const built = new Map<string, Built>();
  beforeAll(() => {
    for (const c of [CANARY, BLUEGREEN]) built.set(c.name, buildCase(c.spec));
  });
  const objects = (c: typeof CANARY, env: string) => built.get(c.name)!.builds.get(`${c.spec.services[0]!.name}/${env}`)!;

  it.each([CANARY, BLUEGREEN])('$name: every analysis in the staging and production overlays passes that overlay’s environment', (c) => {
    expect(built.get(c.name)!.failures).toEqual([]);
    for (const env of ENVS) {
      const rollout = find(objects(c, env), 'Rollout');
      expect(rollout['metadata']['labels'][ENVIRONMENT_LABEL]).toBe(env);
      const refs = analysisRefs(rollout);
      expect(refs.length).toBe(c === CANARY ? 3 : 2);
      for (const ref of refs) {
        expect(ref['args']).toContainEqual({ name: 'environment', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${ENVIRONMENT_LABEL}']` } } });
        expect(resolvedArgs(rollout, ref)).toEqual({ service: c.spec.services[0]!.name, environment: env });
      }
      // The template declares every argument the Rollout passes (and nothing without a value).
      const template = find(objects(c, env), 'AnalysisTemplate');
      expect(template['spec']['args']).toEqual([{ name: 'service' }, { name: 'environment' }]);
    }
  });

  it('with observability, every query selects the environment argument; without, none does and the file says so', () => {
    for (const { query } of queries(find(objects(CANARY, 'production'), 'AnalysisTemplate'))) {
      // Each series selector: `{job="{{args.service}}",…}` (placeholders hold braces of their own).
      const selectors = query.match(/\{job="\{\{args\.service\}\}"(?:[^{}]|\{\{[^}]*\}\})*\}/g)!;
      expect(selectors.length).toBeGreaterThanOrEqual(2);
      for (const s of selectors) expect(s).toContain('deployment_environment_name="{{args.environment}}"');
    }
    for (const { query } of queries(find(objects(BLUEGREEN, 'production'), 'AnalysisTemplate'))) {
      expect(query).not.toContain('deployment_environment_name');
    }
    const header = (c: typeof CANARY) => built.get(c.name)!.record[`deploy/${c.spec.services[0]!.name}/base/analysistemplate.yaml`]!;
    expect(header(BLUEGREEN)).toMatch(/^# WARNING: the metrics carry no environment label/m);
    expect(header(BLUEGREEN)).toMatch(/judged mostly on production's/);
    expect(header(CANARY)).not.toMatch(/WARNING/);
    expect(header(CANARY)).toMatch(/queries keep only that environment's series/);
  });

  it('kube-models: the Rollouts and AnalysisTemplates validate, unknown fields included; a wrong fieldRef is rejected', () => {
    const objs = [CANARY, BLUEGREEN].flatMap((c) => ENVS.flatMap((env) => objects(c, env)))
      .filter((o) => o['kind'] === 'Rollout' || o['kind'] === 'AnalysisTemplate');
    expect(objs).toHaveLength(8);
    expect(validateWithModels(objs)).toEqual([]);
    expect(typecheckObjects(objs)).toEqual([]);

    // Broken on purpose: Argo's fieldRef has only fieldPath (the pod API's apiVersion is not there).
    const bad = structuredClone(find(objects(CANARY, 'staging'), 'Rollout'));
    analysisRefs(bad)[0]!['args'][1]['valueFrom']['fieldRef']['apiVersion'] = 'v1';
    expect(typecheckObjects([bad]).join('\n')).toMatch(/apiVersion/);
    const missing = structuredClone(find(objects(CANARY, 'staging'), 'Rollout'));
    analysisRefs(missing)[0]!['args'][1]['valueFrom'] = { fieldRef: {} };
    expect(validateWithModels([missing]).join('\n')).toMatch(/fieldPath/);
  });

  describe.runIf(haveTool('promtool'))('promtool', () => {
    /** The template's queries as recording rules, one per metric and environment, args substituted. */
    function recordingRules(template: KubeObject, service: string, strip = false) {
      return ENVS.flatMap((environment) =>
        queries(template).map(({ name, query }) => ({
          record: `analysis:${name}:${environment}`,
          expr: substitute(strip ? query.replaceAll(/,?deployment_environment_name="[^"]*"/g, '') : query, { service, environment }),
        })),
      );
    }
    const write = (dir: string, file: string, value: unknown) => {
      writeFileSync(join(dir, file), stringify(value));
      return file;
    };

    it.each([CANARY, BLUEGREEN])('$name: the queries are valid PromQL for each environment (check rules)', (c) => {
      const service = c.spec.services[0]!.name;
      const dir = mkdtempSync(join(tmpdir(), 'devops-init-analysis-'));
      const rules = recordingRules(find(objects(c, 'production'), 'AnalysisTemplate'), service);
      const good = write(dir, 'good.yml', { groups: [{ name: 'analysis', rules }] });
      const ok = checkRules([good], dir);
      expect(ok.output).toMatch(/SUCCESS/);
      expect(ok.code).toBe(0);
      const bad = write(dir, 'bad.yml', { groups: [{ name: 'analysis', rules: [{ ...rules[0]!, expr: rules[0]!.expr.replace('[2m]', '[2m') }] }] });
      expect(checkRules([bad], dir).code).not.toBe(0);
    });

    /**
     * Production healthy and fast, staging failing and slow, same job: staging's analysis
     * must read 0 and production's 1. Without the environment matcher (the old queries)
     * both read the traffic-weighted mix, and the same test fails.
     */
    function unitTest(): unknown {
      const series = (env: string, name: string, labels: string, perMinute: number) => ({
        series: `http_server_request_duration_seconds_${name}{job="api",deployment_environment_name="${env}",${labels}}`,
        values: `0+${perMinute}x10`,
      });
      const sample = (record: string, value: number) => ({ expr: record, eval_time: '5m', exp_samples: [{ labels: record, value }] });
      return {
        rule_files: ['rules.yml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: [
              series('production', 'count', 'http_response_status_code="200"', 600),
              series('production', 'bucket', 'http_response_status_code="200",le="0.25"', 600),
              series('staging', 'count', 'http_response_status_code="500"', 60),
              series('staging', 'bucket', 'http_response_status_code="500",le="0.25"', 0),
            ],
            promql_expr_test: [
              sample('analysis:availability:production', 1),
              sample('analysis:latency:production', 1),
              sample('analysis:availability:staging', 0),
              sample('analysis:latency:staging', 0),
            ],
          },
        ],
      };
    }

    it('canary: with the argument substituted, staging and production each see only their own series (test rules)', () => {
      const template = find(objects(CANARY, 'production'), 'AnalysisTemplate');
      expect(queries(template).map((q) => q.name)).toEqual(['availability', 'latency']);
      const dir = mkdtempSync(join(tmpdir(), 'devops-init-analysis-env-'));
      write(dir, 'rules.yml', { groups: [{ name: 'analysis', rules: recordingRules(template, 'api') }] });
      const test = write(dir, 'test.yml', unitTest());
      const r = testRules([test], dir);
      expect(r.output).toMatch(/SUCCESS/);
      expect(r.code).toBe(0);

      // Broken on purpose: the same queries without the environment matcher mix the environments.
      write(dir, 'rules.yml', { groups: [{ name: 'analysis', rules: recordingRules(template, 'api', true) }] });
      const mixed = testRules([test], dir);
      expect(mixed.code).not.toBe(0);
      expect(mixed.output).toMatch(/analysis:availability:staging/);
    });

    /**
     * No traffic must stay inconclusive: the query returns nothing (the denominator is
     * filtered to > 0), so `len(result) > 0` is false in both conditions. The series exist
     * with flat counters, as after a deploy nobody called.
     */
    it('canary: an environment with no traffic gives an empty result (inconclusive), not NaN or a number', () => {
      const template = find(objects(CANARY, 'production'), 'AnalysisTemplate');
      const rules = (strip: boolean) =>
        queries(template).map(({ name, query }) => ({
          record: `analysis:${name}:idle`,
          expr: substitute(strip ? query.replaceAll(/\) > 0\)/g, '))') : query, { service: 'api', environment: 'production' }),
        }));
      const flat = (name: string, labels: string) => ({
        series: `http_server_request_duration_seconds_${name}{job="api",deployment_environment_name="production",${labels}}`,
        values: '0x10',
      });
      const test = {
        rule_files: ['rules.yml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: [flat('count', 'http_response_status_code="200"'), flat('bucket', 'http_response_status_code="200",le="0.25"')],
            promql_expr_test: ['availability', 'latency'].map((n) => ({ expr: `analysis:${n}:idle`, eval_time: '5m', exp_samples: [] })),
          },
        ],
      };
      expect(template['spec']['metrics'].every((m: KubeObject) => String(m['successCondition']).startsWith('len(result) > 0 && '))).toBe(true);
      const dir = mkdtempSync(join(tmpdir(), 'devops-init-analysis-idle-'));
      write(dir, 'rules.yml', { groups: [{ name: 'analysis', rules: rules(false) }] });
      const file = write(dir, 'test.yml', test);
      const r = testRules([file], dir);
      expect(r.output).toMatch(/SUCCESS/);
      expect(r.code).toBe(0);

      // Broken on purpose: without the guard, 0/0 returns a NaN sample.
      write(dir, 'rules.yml', { groups: [{ name: 'analysis', rules: rules(true) }] });
      const nan = testRules([file], dir);
      expect(nan.code).not.toBe(0);
      expect(nan.output).toMatch(/NaN/);
    });
  });
});

describe('deploy: the environment matcher and metrics.selector', () => {
  const spec = (practices: string[], selector?: Record<string, string>) =>
    makeSpec({
      practices: practices as never,
      services: [{ name: 'api', path: '.', language: 'node', deploy: { strategy: 'canary' }, ...(selector ? { metrics: { selector } } : {}) }],
    });
  const query = (s: ReturnType<typeof spec>) => String((analysisTemplate(s, computeModel(s), s.services[0]!)['spec'] as KubeObject)['metrics'][0]['provider']['prometheus']['query']);

  it('the SLOs’ production filter gives way to the argument; other matchers stay', () => {
    const q = query(spec(['gitops', 'deploy', 'observability'], { deployment_environment_name: 'production', cluster: 'eu-1' }));
    expect(q).toContain('{job="{{args.service}}",deployment_environment_name="{{args.environment}}",cluster="eu-1"}');
    expect(q).not.toContain('"production"');
  });

  it('a selector on the environment label turns the filter on without observability; other selectors do not', () => {
    expect(query(spec(['gitops', 'deploy'], { deployment_environment_name: 'production' }))).toContain('deployment_environment_name="{{args.environment}}"');
    const q = query(spec(['gitops', 'deploy'], { cluster: 'eu-1' }));
    expect(q).toContain('{job="{{args.service}}",cluster="eu-1"}');
    expect(q).not.toContain('deployment_environment_name');
  });
});
