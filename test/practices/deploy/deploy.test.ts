import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { deployPractice } from '../../../src/practices/deploy/index.js';
import { STRATEGY_TABLE } from '../../../src/practices/deploy/handbook.js';
import { featureFlagsQuestion, recommendStrategy, strategyQuestion } from '../../../src/practices/deploy/questions.js';
import { makeSpec, renderRecord, renderedFiles } from '../../helpers/spec.js';
import { haveTool } from '../../validators/tool.js';
import { kustomizeBuild, parseObjects, type KubeObject } from '../../validators/kustomize.js';
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
    // No traffic router: no stable/canary Services (Argo Rollouts would pin the stable Service
    // to the stable pods, and clients would never reach the canary). The one Service selects
    // every pod of the service, old and new, with no pod-template hash.
    expect(canary.stableService).toBeUndefined();
    expect(canary.canaryService).toBeUndefined();
    expect(find(objs, 'Service', 'api')!['spec']['selector']).toEqual({ 'app.kubernetes.io/name': 'api' });
    expect(find(objs, 'Service', 'api-canary')).toBeUndefined();
    const weights = canary.steps.filter((s: KubeObject) => 'setWeight' in s).map((s: KubeObject) => s['setWeight']);
    expect(weights).toEqual([10, 25, 50, 100]);
    expect(canary.steps.filter((s: KubeObject) => 'pause' in s)).toHaveLength(3);
    for (const s of canary.steps.filter((x: KubeObject) => 'analysis' in x)) {
      expect(s.analysis).toEqual({
        templates: [{ templateName: 'api-slo' }],
        args: [
          { name: 'service', value: 'api' },
          // The namespace and the two ReplicaSets it compares (see analysis.test.ts).
          { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
          { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
        ],
      });
    }
    // Previews: no steps, so a PR push never waits for analysis that has no traffic, and no
    // AnalysisTemplate (the previews project refuses the kind: its provider runs in the controller).
    expect(find(objects(CANARY, 'api/preview'), 'Rollout')!['spec']['strategy']['canary']['steps']).toEqual([]);
    expect(find(objects(CANARY, 'api/preview'), 'AnalysisTemplate')).toBeUndefined();
  });

  it('canary: the AnalysisTemplate judges each SLO, new version against stable, and treats no traffic as inconclusive', () => {
    const t = find(objects(CANARY, 'api/production'), 'AnalysisTemplate', 'api-slo')!;
    expect(t['spec']['args']).toEqual([{ name: 'service' }, { name: 'namespace' }, { name: 'canary-hash' }, { name: 'stable-hash' }]);
    const metrics = t['spec']['metrics'] as KubeObject[];
    expect(metrics.map((m) => m['name'])).toEqual(['availability', 'latency']);
    for (const m of metrics) {
      expect(m).toMatchObject({ interval: '1m', count: 5, failureLimit: 1, inconclusiveLimit: 2 });
      expect(m['successCondition']).toBe('len(result) > 0 && !isNaN(result[0]) && result[0] <= 1');
      expect(m['failureCondition']).toBe('len(result) > 0 && !isNaN(result[0]) && result[0] > 1');
      expect(m['provider']['prometheus']['address']).toBe('http://prometheus-operated.monitoring.svc:9090');
    }
    const [avail, latency] = metrics.map((m) => m['provider']['prometheus']['query'] as string);
    const sel = (hash: string) => `job="{{args.service}}",k8s_namespace_name="{{args.namespace}}",k8s_pod_label_rollouts_pod_template_hash="{{args.${hash}}}"`;
    expect(avail).toContain(`http_server_request_duration_seconds_count{${sel('canary-hash')},http_response_status_code=~"5.."}[1m]`);
    expect(avail).toContain(`http_server_request_duration_seconds_count{${sel('stable-hash')},http_response_status_code=~"5.."}[1m]`);
    expect(latency).toContain(`http_server_request_duration_seconds_bucket{${sel('canary-hash')},le="0.25"}[1m]`);
    // Allowance: max(5 x budget, stable + budget), or the margin alone without stable traffic.
    expect(avail).toMatch(/\) \+ 0\.001,\n\s+0\.005\n/);
    expect(avail).toMatch(/or\n\s+vector\(0\.005\)/);
  });

  it.runIf(haveTool('promtool'))('canary: the analysis queries are valid PromQL (promtool)', () => {
    const t = find(objects(CANARY, 'api/production'), 'AnalysisTemplate')!;
    const rules = (t['spec']['metrics'] as KubeObject[]).map((m, i) => ({
      record: `analysis:check${i}`,
      // Rollouts substitutes args before querying; do the same.
      expr: String(m['provider']['prometheus']['query'])
        .replaceAll('{{args.service}}', 'api')
        .replaceAll('{{args.namespace}}', 'shop-production')
        .replaceAll('{{args.canary-hash}}', 'abc')
        .replaceAll('{{args.stable-hash}}', 'def'),
    }));
    const dir = mkdtempSync(join(tmpdir(), 'devops-init-promql-'));
    const good = join(dir, 'good.yml');
    writeFileSync(good, stringify({ groups: [{ name: 'analysis', rules }] }));
    const r = spawnSync('promtool', ['check', 'rules', good], { encoding: 'utf8' });
    expect(r.stderr + r.stdout).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, stringify({ groups: [{ name: 'analysis', rules: [{ record: 'x:y', expr: rules[0]!.expr.replace('[1m]', '[1m') }] }] }));
    expect(spawnSync('promtool', ['check', 'rules', bad], { encoding: 'utf8' }).status).not.toBe(0);
  });

  it('blue/green: active + preview Services, analysis after the switch (the preview pods get no traffic), auto-promotion off in production only', () => {
    const strategy = (overlay: string) => find(objects(BLUEGREEN, `books/${overlay}`), 'Rollout', 'books')!['spec']['strategy']['blueGreen'];
    expect(find(objects(BLUEGREEN, 'books/production'), 'Service', 'books-preview')).toBeDefined();
    const prod = strategy('production');
    expect(prod).toMatchObject({ activeService: 'books', previewService: 'books-preview', autoPromotionEnabled: false });
    expect(prod.scaleDownDelaySeconds).toBeGreaterThanOrEqual(300);
    expect(prod.prePromotionAnalysis).toBeUndefined();
    expect(prod.postPromotionAnalysis.templates).toEqual([{ templateName: 'books-slo' }]);
    expect(strategy('staging').autoPromotionEnabled).toBe(true);
    const preview = strategy('preview');
    expect(preview.autoPromotionEnabled).toBe(true);
    expect(preview.prePromotionAnalysis).toBeUndefined();
    expect(preview.postPromotionAnalysis).toBeUndefined();
  });

  it('feature flags: flagd runs beside each service, reading its own environment\'s flag file from a ConfigMap', () => {
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
      expect(pod.volumes).toContainEqual({ name: 'flags', configMap: { name: `${svc.name}-flags` } });
      expect(find(objs, 'Deployment', svc.name)).toBeDefined();
      // Each overlay builds its ConfigMap from its own file: editing staging's cannot change production's.
      for (const overlay of ['staging', 'production', 'preview']) {
        const cm = find(objects(FLAGS, `${svc.name}/${overlay}`), 'ConfigMap', `${svc.name}-flags`)!;
        expect(cm['data']['flags.flagd.json']).toBe(record[`deploy/${svc.name}/overlays/${overlay}/flags/flags.flagd.json`]);
        expect(cm['metadata']['labels']['app.kubernetes.io/environment']).toBe(overlay);
      }
    }
    // The base carries no flag file, so nothing a flag edit touches is shared between environments.
    expect(Object.keys(record).filter((p) => /\/base\/.*flag/.test(p))).toEqual([]);
    expect(record['deploy/web/base/kustomization.yaml']).not.toMatch(/configMapGenerator/);
  });

  it.runIf(haveTool('kubectl'))('feature flags: a flag change in staging\'s file reaches staging only (promoted like an image)', () => {
    const b = buildCase(FLAGS.spec);
    const file = join(b.dir, 'deploy/web/overlays/staging/flags/flags.flagd.json');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.flags['new-web-experience'].state = 'ENABLED';
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const state = (overlay: string) => {
      const r = kustomizeBuild(join(b.dir, `deploy/web/overlays/${overlay}`));
      expect(r.stderr).toBe('');
      const cm = parseObjects(r.stdout).find((o) => o['kind'] === 'ConfigMap' && o['metadata']['name'] === 'web-flags')!;
      return JSON.parse(cm['data']['flags.flagd.json']).flags['new-web-experience'].state;
    };
    expect(state('staging')).toBe('ENABLED');
    expect(state('production')).toBe('DISABLED');
  });
});

describe('deploy: feature flag files', () => {
  const record = renderRecord(FLAGS.spec);
  const files = Object.keys(record).filter((p) => p.endsWith('flags.flagd.json'));

  it('structural: the seeded flag files (one per service and environment) follow flagd’s schema rules', () => {
    expect(files).toEqual(['web', 'worker'].flatMap((s) => ['preview', 'production', 'staging'].map((o) => `deploy/${s}/overlays/${o}/flags/flags.flagd.json`)));
    for (const f of files) expect(flagdStructureErrors(JSON.parse(record[f]!)), f).toEqual([]);
  });

  it('the seeded example flag is DISABLED, as the docs say ("off by default")', () => {
    for (const f of files) expect(JSON.parse(record[f]!).flags['new-' + f.split('/')[1] + '-experience'].state, f).toBe('DISABLED');
    expect(record['docs/feature-flags.md']).toMatch(/seeded example flag is \*\*`DISABLED`\*\*/);
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
    expect(flagFiles.map((f) => f.ownership)).toEqual(Array(6).fill('seeded'));
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
