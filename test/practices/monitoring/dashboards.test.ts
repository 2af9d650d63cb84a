import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dashboardUid } from '../../../src/practices/monitoring/slo.js';
import type { Spec } from '../../../src/spec/types.js';
import { makeSpec } from '../../helpers/spec.js';
import { rulesOfSpec } from './helpers.js';
import { typecheckDashboards } from '../../validators/grafana.js';
import { monorepoSpec, nodeSpec, renderMonitoring } from './render.js';

type ConfigMap = { metadata: { name: string; namespace: string; labels: Record<string, string> }; data: Record<string, string> };

describe('grafana dashboards', () => {
  const specs = [nodeSpec(), monorepoSpec(['monitoring', 'observability'])];
  const dashboardsOf = (spec: Spec) =>
    Object.entries(renderMonitoring(spec))
      .filter(([p]) => p.startsWith('monitoring/dashboards/') && p.endsWith('.dashboard.yaml'))
      .map(([p, t]) => ({ path: p, cm: parse(t) as ConfigMap }));
  const jsonOf = (cm: ConfigMap) => JSON.parse(Object.values(cm.data)[0]!) as Record<string, unknown>;

  it('type-check against @grafana/schema (all dashboards in one batch, plus one broken on purpose)', () => {
    const dashboards = specs.flatMap((spec, i) => dashboardsOf(spec).map((d) => ({ name: `${i}/${d.path}`, json: jsonOf(d.cm) as unknown })));
    const broken = { ...(dashboards[0]!.json as Record<string, unknown>), graphTooltip: 'shared' };
    const problems = typecheckDashboards([...dashboards, { name: 'broken', json: broken }]);
    expect(problems.filter((p) => !p.startsWith('broken:'))).toEqual([]);
    expect(problems.some((p) => p.startsWith('broken:'))).toBe(true);
  });

  it('one shared dashboard (a sidecar ConfigMap) for every service, with a service variable the alerts link to', () => {
    const spec = monorepoSpec();
    const ds = dashboardsOf(spec);
    expect(ds.map((d) => d.path)).toEqual(['monitoring/dashboards/services.dashboard.yaml']);
    expect(Object.keys(renderMonitoring(spec)).filter((p) => p.startsWith('monitoring/dashboards/') && p.endsWith('-dashboard.yaml'))).toEqual([]);
    const cm = ds[0]!.cm;
    expect(cm.metadata.labels['grafana_dashboard']).toBe('1');
    expect(cm.metadata.namespace).toBe('monitoring');
    const d = jsonOf(cm) as { uid: string; templating: { list: { name: string; query: unknown }[] } };
    expect(d.uid).toBe('shop-services');
    expect(d.templating.list.find((v) => v.name === 'service')!.query).toBe('api,web');
    for (const svc of spec.services) {
      const alerts = rulesOfSpec(spec).filter((r) => r.alert && r.labels?.['service'] === svc.name);
      expect(alerts.length).toBeGreaterThan(0);
      for (const a of alerts) {
        const slo = a.labels?.['slo'];
        expect(a.annotations?.['dashboard_url']).toBe(`https://grafana.example.com/d/${d.uid}?var-service=${svc.name}${slo ? `&var-slo=${slo}` : ''}`);
      }
    }
    // Same spec, same uid: re-rendering never breaks links.
    expect(dashboardUid(spec, spec.services[0]!)).toBe(dashboardUid(monorepoSpec(), monorepoSpec().services[1]!));
  });

  it('a service with its own metric names gets a dashboard of its own shape; the others keep the shared one', () => {
    const spec = makeSpec({
      practices: ['monitoring'],
      services: [
        { name: 'api', path: 'services/api', language: 'node' },
        { name: 'legacy', path: 'services/legacy', language: 'node', metrics: { requestDuration: 'http_request_duration_seconds' } },
      ],
    });
    const ds = dashboardsOf(spec);
    expect(ds).toHaveLength(2);
    const legacy = ds.find((d) => d.path !== 'monitoring/dashboards/services.dashboard.yaml')!;
    const text = JSON.stringify(jsonOf(legacy.cm));
    expect(text).toContain('http_request_duration_seconds_count{job=\\"$service\\"');
    expect(JSON.stringify(jsonOf(ds.find((d) => d !== legacy)!.cm))).not.toContain('http_request_duration_seconds_count');
    expect(dashboardUid(spec, spec.services[1]!)).toBe((jsonOf(legacy.cm) as { uid: string }).uid);
  });

  it('has RED panels (rate, errors, p50/p90/p99) and an SLO row repeated per SLO, from recorded series only', () => {
    const spec = nodeSpec();
    const json = JSON.stringify(jsonOf(dashboardsOf(spec)[0]!.cm));
    for (const q of ['histogram_quantile(0.5,', 'histogram_quantile(0.9,', 'histogram_quantile(0.99,', 'http_response_status_code=~\\"5..\\"', '{job=\\"$service\\"']) expect(json).toContain(q);
    const recorded = new Set(rulesOfSpec(spec).map((r) => r.record).filter(Boolean));
    const used = [...json.matchAll(/slo:[a-z_]+:[a-z_0-9]+/g)].map((m) => m[0]);
    expect(used.length).toBeGreaterThan(10);
    for (const name of used) expect(recorded, name).toContain(name);
    for (const w of ['5m', '30m', '1h', '2h', '6h', '1d', '3d']) expect(json).toContain(`slo:sli_error:ratio_rate${w}{`);
    expect(json).toContain('slo:period_error_budget_remaining:ratio{service=\\"$service\\",slo=\\"$slo\\"}');
    expect(json).toContain('"repeat":"slo"');
    // No per-service objective is baked in: it is the recorded slo:objective:ratio.
    expect(json).not.toContain('0.999');
  });

  it('long project names keep a uid within Grafana\'s 40 characters', () => {
    const spec = nodeSpec(['monitoring'], { project: { name: 'a-very-long-project-name-for-testing-abcd', repository: 'acme/shop' }, services: [{ name: 'an-equally-long-service-name', path: '.', language: 'node' }] });
    expect(dashboardUid(spec, spec.services[0]!).length).toBeLessThanOrEqual(40);
  });
});
