import { describe, expect, it } from 'vitest';
import { monitoringPractice } from '../../../src/practices/monitoring/index.js';
import type { Spec } from '../../../src/spec/types.js';
import { computeModel } from '../../../src/tree/compute.js';
import { makeSpec, renderedFiles } from '../../helpers/spec.js';

/** The alerts monitoring contributes to the model (what incident reads). */
const alertNames = (spec: Spec) => computeModel(spec).alerting!.alerts.map((a) => a.name);
import { monorepoSpec, nodeSpec, renderMonitoring } from './render.js';

const question = (id: string) => monitoringPractice.questions.find((q) => q.id === id)!;

describe('monitoring practice', () => {
  it('renders the expected files (managed), per service', () => {
    const files = renderedFiles(monorepoSpec(['monitoring', 'gitops'])).filter((f) => f.practice === 'monitoring');
    expect(files.every((f) => f.ownership === 'managed')).toBe(true);
    expect(files.map((f) => f.path).sort()).toEqual([
      '.github/workflows/monitoring.yml',
      'deploy/argocd/apps/monitoring-rules.yaml',
      'docs/slos.md',
      'monitoring/alertmanager/alertmanager.yml',
      'monitoring/dashboards/kustomization.yaml',
      'monitoring/dashboards/services.dashboard.yaml',
      'monitoring/kubernetes/api-prometheusrule.yaml',
      'monitoring/kubernetes/kustomization.yaml',
      'monitoring/kubernetes/slos.prometheusrule.yaml',
      'monitoring/kubernetes/web-prometheusrule.yaml',
      'monitoring/promtool.sh',
      'monitoring/tests/api.test.yml',
      'monitoring/tests/fixtures/example-services.rules.yml',
      'monitoring/tests/slos.shared.test.yml',
      'monitoring/tests/web.test.yml',
    ]);
  });

  it('adds its namespace to the platform AppProject gitops writes', () => {
    const project = renderedFiles(monorepoSpec(['monitoring', 'gitops'])).find((f) => f.path === 'deploy/argocd/platform-project.yaml')!;
    expect(project.practice).toBe('gitops');
    expect(project.content).toContain('namespace: monitoring');
  });

  it('lists one alert per SLO and severity plus one missing-data ticket per service, for the incident practice\'s runbooks', () => {
    expect(alertNames(monorepoSpec())).toEqual([
      'ApiAvailabilityFastBurn', 'ApiAvailabilitySlowBurn', 'ApiLatencyFastBurn', 'ApiLatencySlowBurn', 'ApiSLIMissing',
      'WebAvailabilityFastBurn', 'WebAvailabilitySlowBurn', 'WebCheckoutLatencyFastBurn', 'WebCheckoutLatencySlowBurn', 'WebSLIMissing',
    ]);
    // A service without SLOs has no rules, so no alerts.
    expect(alertNames(makeSpec({ practices: ['monitoring'], services: [{ name: 'worker', path: '.', language: 'go', slos: [] }] }))).toEqual([]);
  });

  it('docs/slos.md has the SLO table, the burn-rate math, the OTel View for the service language and how to change an SLO', () => {
    const md = renderMonitoring(monorepoSpec())['docs/slos.md']!;
    expect(md).toContain('| api | latency | 99.9% of requests complete in under 250 ms | 0.1% (≈ 43.2 min of full outage) | [ApiLatencyFastBurn](https://github.com/acme/shop/blob/main/docs/runbooks/ApiLatencyFastBurn.md)');
    expect(md).toContain('| api | [ApiSLIMissing](https://github.com/acme/shop/blob/main/docs/runbooks/ApiSLIMissing.md) |');
    // Why 250 and how to get 300.
    expect(md).toContain('There is **no 0.3 s bucket**');
    expect(md).toContain('**To get exactly 300 ms**');
    expect(md).toContain('| page | 1h | 5m | 14.4× | 2% | 2.1 days |');
    expect(md).toContain('| ticket | 3d | 6h | 1× | 10% | 30 days |');
    expect(md).toContain("instrumentName: 'http.server.request.duration'"); // Node
    expect(md).toContain('// otel.cjs'); // CommonJS by name, whatever the package type
    expect(md).not.toMatch(/Node[^\n]*OTEL_SEMCONV_STABILITY_OPT_IN/); // only Python needs the opt-in
    expect(md).toContain('ExplicitBucketHistogramAggregation(boundaries=[0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.3, 0.5'); // Python: the View adds 0.3
    expect(md).not.toContain('sdkmetric.NewView'); // no Go service
    expect(md).toContain('team payments → `#payments-alerts`');
    expect(md).toContain('devops-init sync');
  });

  it('has the handbook text', () => {
    expect(monitoringPractice.handbook.summary).toBe("SLO-driven alerts that don't burn out humans.");
    expect(monitoringPractice.handbook.pros).toEqual(['Fewer false alarms', 'Aligned with user experience']);
    expect(monitoringPractice.handbook.bestFor).toBe('Any production system.');
  });

  describe('questions', () => {
    const spec = monorepoSpec();
    it('slack channel: flag, default, validation and edit', () => {
      const q = question('slackChannel');
      expect(q.flag).toBe('--slack-channel <channel>');
      expect(q.default(spec, {})).toBe('#alerts');
      expect(q.validate!('alerts')).toBeDefined();
      expect(q.apply(spec, '#ops')).toEqual([{ path: ['monitoring', 'slack', 'defaultChannel'], value: '#ops' }]);
    });

    it('availability applies to every service\'s availability SLOs and keeps the others', () => {
      const q = question('availability');
      expect(q.flag).toBe('--slo-availability <percent>');
      expect(q.current(spec)).toBe('99.9');
      expect(q.validate!('101')).toBeDefined();
      expect(q.validate!('90')).toBeDefined();
      expect(q.validate!('99.95')).toBeUndefined();
      const edits = q.apply(spec, '99.95');
      expect(edits.map((e) => e.path)).toEqual([['services', 0, 'slos'], ['services', 1, 'slos']]);
      expect(edits[1]!.value).toEqual([
        { name: 'availability', kind: 'availability', objective: 99.95 },
        { name: 'checkout-latency', kind: 'latency', objective: 99, thresholdMs: 1000 },
      ]);
    });

    it('latency threshold edits latency SLOs only', () => {
      const q = question('latencyThreshold');
      expect(q.flag).toBe('--slo-latency-ms <ms>');
      expect(q.default(spec, {})).toBe('250');
      expect(q.validate!('0.3')).toBeDefined();
      const edits = q.apply(nodeSpec(), '500');
      expect(edits).toEqual([{ path: ['services', 0, 'slos'], value: [{ name: 'availability', kind: 'availability', objective: 99.9 }, { name: 'latency', kind: 'latency', objective: 99.9, thresholdMs: 500 }] }]);
    });
  });

  it('a service without SLOs is still on the dashboard but has no rules or tests', () => {
    const spec = makeSpec({ practices: ['monitoring'], services: [{ name: 'worker', path: '.', language: 'go', slos: [] }] });
    const files = renderMonitoring(spec);
    expect(files['monitoring/dashboards/services.dashboard.yaml']).toMatch(/"query": "worker"|\\"query\\": \\"worker\\"/);
    expect(Object.keys(files).some((p) => p.includes('prometheusrule') || p.startsWith('monitoring/tests/') || p === 'monitoring/promtool.sh')).toBe(false);
  });
});

describe('monitoring: alert links that lead nowhere are said, not silent (issue 9, item 10)', () => {
  const warnings = (spec: Spec) => computeModel(spec).warnings.filter((w) => w.owner === 'monitoring').map((w) => w.text);

  it('warns while monitoring.grafanaUrl is the grafana.example.com placeholder, and the docs say so', () => {
    const placeholder = nodeSpec();
    expect(placeholder.monitoring.grafanaUrl).toBe('https://grafana.example.com');
    expect(warnings(placeholder).some((w) => /grafanaUrl is the placeholder https:\/\/grafana\.example\.com.*dashboard_url/.test(w))).toBe(true);
    expect(renderMonitoring(placeholder)['docs/slos.md']).toMatch(/The dashboard links are placeholders/);
    const real = nodeSpec(['monitoring'], { monitoring: { grafanaUrl: 'https://grafana.acme.io' } });
    expect(warnings(real).some((w) => /grafanaUrl/.test(w))).toBe(false);
    expect(renderMonitoring(real)['docs/slos.md']).not.toMatch(/placeholders/);
  });

  it('says that runbook_url points at runbooks nothing generates until the incident practice exists', () => {
    const w = warnings(nodeSpec());
    expect(w.some((t) => /runbooks under https:\/\/github\.com\/acme\/shop\/blob\/main\/docs\/runbooks\/, and nothing writes them yet: `devops-init add incident`/.test(t))).toBe(true);
    expect(renderMonitoring(nodeSpec())['docs/slos.md']).toMatch(/Runbooks are not generated here/);
    // With incident on, neither the warning nor the note: the runbooks exist.
    const withIncident = nodeSpec(['monitoring', 'incident']);
    expect(warnings(withIncident).some((t) => t.includes('nothing writes them yet'))).toBe(false);
    expect(renderMonitoring(withIncident)['docs/slos.md']).not.toMatch(/Runbooks are not generated/);
    // The alerts the incident practice will read are in the model already.
    expect(computeModel(nodeSpec()).alerting!.alerts.every((a) => a.runbookUrl.startsWith('https://github.com/acme/shop/blob/main/docs/runbooks/'))).toBe(true);
  });

  it('a service without SLOs gets no link warnings (no alert links anything)', () => {
    expect(warnings(nodeSpec(['monitoring'], { services: [{ name: 'api', path: '.', language: 'node', slos: [] }] }))).toEqual([]);
  });
});
