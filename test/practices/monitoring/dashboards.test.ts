import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { serviceDashboard } from '../../../src/practices/monitoring/dashboards.js';
import { rulesOfSpec } from './helpers.js';
import { typecheckDashboards } from '../../validators/grafana.js';
import { monorepoSpec, nodeSpec, renderMonitoring } from './render.js';

type ConfigMap = { metadata: { name: string; namespace: string; labels: Record<string, string> }; data: Record<string, string> };

describe('grafana dashboards', () => {
  const specs = [nodeSpec(), monorepoSpec(['monitoring', 'observability'])];

  it('type-check against @grafana/schema (all dashboards in one batch, plus one broken on purpose)', () => {
    const dashboards = specs.flatMap((spec, i) =>
      spec.services.map((svc) => {
        const files = renderMonitoring(spec);
        const cm = parse(files[`monitoring/dashboards/${svc.name}-dashboard.yaml`]!) as ConfigMap;
        return { name: `${i}/${svc.name}`, json: JSON.parse(cm.data[`${svc.name}.json`]!) as unknown };
      }),
    );
    const broken = { ...(dashboards[0]!.json as Record<string, unknown>), graphTooltip: 'shared' };
    const problems = typecheckDashboards([...dashboards, { name: 'broken', json: broken }]);
    expect(problems.filter((p) => !p.startsWith('broken:'))).toEqual([]);
    expect(problems.some((p) => p.startsWith('broken:'))).toBe(true);
  });

  it('ship as sidecar ConfigMaps with a stable uid that the alerts link to', () => {
    const spec = monorepoSpec();
    const files = renderMonitoring(spec);
    for (const svc of spec.services) {
      const cm = parse(files[`monitoring/dashboards/${svc.name}-dashboard.yaml`]!) as ConfigMap;
      expect(cm.metadata.labels['grafana_dashboard']).toBe('1');
      expect(cm.metadata.namespace).toBe('monitoring');
      const d = JSON.parse(cm.data[`${svc.name}.json`]!) as { uid: string };
      expect(d.uid).toBe(`shop-${svc.name}`);
      const alerts = rulesOfSpec(spec).filter((r) => r.alert && r.labels?.['service'] === svc.name);
      for (const a of alerts) expect(a.annotations?.['dashboard_url']).toBe(`https://grafana.example.com/d/${d.uid}`);
    }
    // Same spec, same uid: re-rendering never breaks links.
    expect(serviceDashboard(spec, spec.services[0]!)['uid']).toBe(serviceDashboard(monorepoSpec(), monorepoSpec().services[0]!)['uid']);
  });

  it('has RED panels (rate, errors, p50/p90/p99) and, per SLO, budget remaining and burn rate by window from recorded series', () => {
    const spec = nodeSpec();
    const json = JSON.stringify(serviceDashboard(spec, spec.services[0]!));
    for (const q of ['histogram_quantile(0.5,', 'histogram_quantile(0.9,', 'histogram_quantile(0.99,', 'http_response_status_code=~\\"5..\\"']) expect(json).toContain(q);
    const recorded = new Set(rulesOfSpec(spec).map((r) => r.record).filter(Boolean));
    const used = [...json.matchAll(/slo:[a-z_]+:[a-z_0-9]+/g)].map((m) => m[0]);
    expect(used.length).toBeGreaterThan(10);
    for (const name of used) expect(recorded, name).toContain(name);
    for (const w of ['5m', '30m', '1h', '2h', '6h', '1d', '3d']) expect(json).toContain(`slo:sli_error:ratio_rate${w}{`);
    expect(json).toContain('slo:period_error_budget_remaining:ratio{service=\\"api\\",slo=\\"availability\\"}');
  });

  it('long names keep a uid within Grafana\'s 40 characters', () => {
    const spec = nodeSpec(['monitoring'], { project: { name: 'a-very-long-project-name-for-testing', repository: 'acme/shop' }, services: [{ name: 'an-equally-long-service-name', path: '.', language: 'node' }] });
    const uid = serviceDashboard(spec, spec.services[0]!)['uid'] as string;
    expect(uid.length).toBeLessThanOrEqual(40);
  });
});
