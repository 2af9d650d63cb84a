import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { deployPractice } from '../../../src/practices/deploy/index.js';
import { STRATEGY_TABLE } from '../../../src/practices/deploy/handbook.js';
import { featureFlagsQuestion, recommendStrategy, strategyQuestion } from '../../../src/practices/deploy/questions.js';
import { makeSpec, renderRecord, renderedFiles } from '../../helpers/spec.js';
import { haveTool } from '../../validators/tool.js';
import type { KubeObject } from '../../validators/kustomize.js';
import { CASES, buildCase, workloadOf, type Built } from '../gitops/cases.js';
import { flagdStructureErrors } from './flagd-structure.js';

const [, CANARY, BLUEGREEN, FLAGS] = CASES as [unknown, (typeof CASES)[number], (typeof CASES)[number], (typeof CASES)[number]];

describe.runIf(haveTool('kubectl'))('deploy: strategies in the built overlays', () => {
  const built = new Map<string, Built>();
  beforeAll(() => {
    for (const c of [CANARY, BLUEGREEN, FLAGS]) built.set(c.name, buildCase(c.spec));
  });
  const objects = (c: typeof CANARY, key: string): KubeObject[] => built.get(c.name)!.builds.get(key)!;
  const find = (objs: KubeObject[], kind: string, name?: string) =>
    objs.find((o) => o['kind'] === kind && (name === undefined || o['metadata']['name'] === name));

  it('canary: a Rollout replaces the Deployment; 10 → 25 → 50 → 100 with pauses and SLO analysis', () => {
    const objs = objects(CANARY, 'api/production');
    expect(find(objs, 'Deployment')).toBeUndefined();
    const canary = find(objs, 'Rollout', 'api')!['spec']['strategy']['canary'];
    expect(canary).toMatchObject({ stableService: 'api', canaryService: 'api-canary' });
    expect(find(objs, 'Service', 'api')).toBeDefined();
    expect(find(objs, 'Service', 'api-canary')).toBeDefined();
    const weights = canary.steps.filter((s: KubeObject) => 'setWeight' in s).map((s: KubeObject) => s['setWeight']);
    expect(weights).toEqual([10, 25, 50, 100]);
    expect(canary.steps.filter((s: KubeObject) => 'pause' in s)).toHaveLength(3);
    for (const s of canary.steps.filter((x: KubeObject) => 'analysis' in x)) {
      expect(s.analysis).toEqual({
        templates: [{ templateName: 'api-slo' }],
        args: [
          { name: 'service', value: 'api' },
          // The environment is read from the Rollout's own label (see analysis-environment.test.ts).
          { name: 'environment', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app.kubernetes.io/environment']" } } },
        ],
      });
    }
    // Previews: no steps, so a PR push never waits for analysis that has no traffic.
    expect(find(objects(CANARY, 'api/preview'), 'Rollout')!['spec']['strategy']['canary']['steps']).toEqual([]);
  });

  it('canary: the AnalysisTemplate gates on each SLO objective and treats no traffic as inconclusive', () => {
    const t = find(objects(CANARY, 'api/production'), 'AnalysisTemplate', 'api-slo')!;
    expect(t['spec']['args']).toEqual([{ name: 'service' }, { name: 'environment' }]);
    const metrics = t['spec']['metrics'] as KubeObject[];
    expect(metrics.map((m) => m['name'])).toEqual(['availability', 'latency']);
    for (const m of metrics) {
      expect(m).toMatchObject({ interval: '1m', count: 5, failureLimit: 1 });
      expect(m['successCondition']).toBe('len(result) > 0 && !isNaN(result[0]) && result[0] >= 0.999');
      expect(m['failureCondition']).toBe('len(result) > 0 && !isNaN(result[0]) && result[0] < 0.999');
      expect(m['provider']['prometheus']['address']).toBe('http://prometheus-operated.monitoring.svc:9090');
    }
    const [avail, latency] = metrics.map((m) => m['provider']['prometheus']['query'] as string);
    const sel = 'job="{{args.service}}",deployment_environment_name="{{args.environment}}"';
    expect(avail).toContain(`http_server_request_duration_seconds_count{${sel},http_response_status_code=~"5.."}[2m]`);
    expect(latency).toContain(`http_server_request_duration_seconds_bucket{${sel},le="0.25"}[2m]`);
  });

  it.runIf(haveTool('promtool'))('canary: the analysis queries are valid PromQL (promtool)', () => {
    const t = find(objects(CANARY, 'api/production'), 'AnalysisTemplate')!;
    const rules = (t['spec']['metrics'] as KubeObject[]).map((m, i) => ({
      record: `analysis:check${i}`,
      // Rollouts substitutes args before querying; do the same.
      expr: String(m['provider']['prometheus']['query']).replaceAll('{{args.service}}', 'api').replaceAll('{{args.environment}}', 'production'),
    }));
    const dir = mkdtempSync(join(tmpdir(), 'devops-init-promql-'));
    const good = join(dir, 'good.yml');
    writeFileSync(good, stringify({ groups: [{ name: 'analysis', rules }] }));
    const r = spawnSync('promtool', ['check', 'rules', good], { encoding: 'utf8' });
    expect(r.stderr + r.stdout).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, stringify({ groups: [{ name: 'analysis', rules: [{ record: 'x:y', expr: rules[0]!.expr.replace('[2m]', '[2m') }] }] }));
    expect(spawnSync('promtool', ['check', 'rules', bad], { encoding: 'utf8' }).status).not.toBe(0);
  });

  it('blue/green: active + preview Services, analysis before and after, auto-promotion off in production only', () => {
    const strategy = (overlay: string) => find(objects(BLUEGREEN, `books/${overlay}`), 'Rollout', 'books')!['spec']['strategy']['blueGreen'];
    expect(find(objects(BLUEGREEN, 'books/production'), 'Service', 'books-preview')).toBeDefined();
    const prod = strategy('production');
    expect(prod).toMatchObject({ activeService: 'books', previewService: 'books-preview', autoPromotionEnabled: false });
    expect(prod.scaleDownDelaySeconds).toBeGreaterThanOrEqual(300);
    expect(prod.prePromotionAnalysis.templates).toEqual([{ templateName: 'books-slo' }]);
    expect(prod.postPromotionAnalysis.templates).toEqual([{ templateName: 'books-slo' }]);
    expect(strategy('staging').autoPromotionEnabled).toBe(true);
    const preview = strategy('preview');
    expect(preview.autoPromotionEnabled).toBe(true);
    expect(preview.prePromotionAnalysis).toBeUndefined();
    expect(preview.postPromotionAnalysis).toBeUndefined();
  });

  it('feature flags: flagd runs beside each service, reading the flag file from a ConfigMap', () => {
    const { record } = built.get(FLAGS.name)!;
    for (const svc of FLAGS.spec.services) {
      const objs = objects(FLAGS, `${svc.name}/staging`);
      const pod = workloadOf(objs, svc.name)!['spec']['template']['spec'];
      const flagd = pod.containers.find((c: KubeObject) => c.name === 'flagd');
      expect(flagd.image).toMatch(/^ghcr\.io\/open-feature\/flagd:v\d+\.\d+\.\d+$/);
      expect(flagd.args.slice(0, 3)).toEqual(['start', '--uri', 'file:/etc/flagd/flags.flagd.json']);
      expect(flagd.ports).toContainEqual({ name: 'flagd', containerPort: 8013, protocol: 'TCP' });
      const env = pod.containers[0].env as KubeObject[];
      expect(env).toEqual(expect.arrayContaining([{ name: 'FLAGD_HOST', value: 'localhost' }, { name: 'FLAGD_PORT', value: '8013' }]));
      const cm = find(objs, 'ConfigMap', `${svc.name}-flags`)!;
      expect(cm['data']['flags.flagd.json']).toBe(record[`deploy/${svc.name}/base/flags/flags.flagd.json`]);
      expect(pod.volumes).toContainEqual({ name: 'flags', configMap: { name: `${svc.name}-flags` } });
      expect(find(objs, 'Deployment', svc.name)).toBeDefined();
    }
  });
});

describe('deploy: feature flag files', () => {
  const record = renderRecord(FLAGS.spec);
  const files = Object.keys(record).filter((p) => p.endsWith('flags.flagd.json'));

  it('structural: the seeded flag files follow flagd’s schema rules', () => {
    expect(files).toEqual(['deploy/web/base/flags/flags.flagd.json', 'deploy/worker/base/flags/flags.flagd.json']);
    for (const f of files) expect(flagdStructureErrors(JSON.parse(record[f]!)), f).toEqual([]);
  });

  it('structural: the checker rejects broken flag files', () => {
    const doc = JSON.parse(record[files[0]!]!);
    const flag = doc.flags['new-web-experience'];
    const broken = structuredClone(doc);
    broken.flags['new-web-experience'] = { ...flag, state: 'ON', defaultVariant: 'maybe' };
    broken.flags['two'] = { ...flag, targeting: { if: [{ var: 'x' }, 'on'] } };
    broken.flags['three'] = { ...flag, targeting: { fractional: [['on', 10], ['off', 80]] } };
    expect(flagdStructureErrors(broken)).toEqual([
      'flags.new-web-experience: state must be ENABLED or DISABLED',
      'flags.new-web-experience: defaultVariant "maybe" is not a variant',
      'flags.two: targeting: "if" takes exactly 3 arguments (nest for else-if)',
      'flags.three: targeting: fractional weights sum to 90, not 100',
    ]);
  });

  it('flag files are seeded (the team owns them); the docs are managed and name each language’s provider', () => {
    const flagFiles = renderedFiles(FLAGS.spec).filter((f) => f.path.endsWith('.json'));
    expect(flagFiles.map((f) => f.ownership)).toEqual(['seeded', 'seeded']);
    expect(record[files[0]!]).not.toMatch(/Generated by/);
    const docs = record['docs/feature-flags.md']!;
    expect(docs).toContain('@openfeature/server-sdk @openfeature/flagd-provider');
    expect(docs).toContain('github.com/open-feature/go-sdk');
    const py = renderRecord(makeSpec({ practices: ['gitops', 'deploy'], services: [{ name: 'api', path: '.', language: 'python', deploy: { featureFlags: true } }] }));
    expect(py['docs/feature-flags.md']).toContain('openfeature-sdk openfeature-provider-flagd');
    const java = renderRecord(makeSpec({ practices: ['gitops', 'deploy'], services: [{ name: 'api', path: '.', language: 'java', deploy: { featureFlags: true } }] }));
    expect(java['docs/feature-flags.md']).toContain('dev.openfeature:sdk');
  });

  it('no flags, no flag files or docs', () => {
    const r = renderRecord(CANARY.spec);
    expect(Object.keys(r).filter((p) => p.includes('flag'))).toEqual([]);
  });
});

describe('deploy: choosing a strategy', () => {
  it('recommends by the handbook table', () => {
    expect(recommendStrategy({ stateful: false, highTraffic: false })).toBe('rolling');
    expect(recommendStrategy({ stateful: true, highTraffic: false })).toBe('bluegreen');
    expect(recommendStrategy({ stateful: false, highTraffic: true })).toBe('canary');
    // Two versions side by side (canary) is what a DB-coupled service cannot take.
    expect(recommendStrategy({ stateful: true, highTraffic: true })).toBe('bluegreen');
  });

  it('--strategy and --feature-flags apply to every service', () => {
    const spec = FLAGS.spec;
    expect(strategyQuestion.validate!('canary')).toBeUndefined();
    expect(strategyQuestion.validate!('big-bang')).toMatch(/rolling, bluegreen, canary/);
    expect(strategyQuestion.apply(spec, 'canary', 1)).toEqual([{ path: ['services', 1, 'deploy', 'strategy'], value: 'canary' }]);
    expect(featureFlagsQuestion.apply(spec, 'true', 0)).toEqual([{ path: ['services', 0, 'deploy', 'featureFlags'], value: true }]);
    expect(strategyQuestion.perService && featureFlagsQuestion.perService).toBe(true);
    expect(deployPractice.questions.map((q) => q.flag)).toEqual(['--stateful', '--high-traffic', '--strategy <strategy>', '--feature-flags']);
  });

  it('the handbook carries the strategy table', () => {
    expect(deployPractice.handbook.notes).toContain(STRATEGY_TABLE);
    expect(STRATEGY_TABLE).toContain('| Canary | Lowest | High | High-traffic critical paths |');
  });
});
