import type { Service, Slo, Spec } from '../../spec/types.js';
import {
  durationQuantileQuery,
  requestCountMetric,
  serverErrorMatcher,
  serviceSelector,
} from '../../model/promql.js';
import { sloSelector } from './alerts.js';
import { BURN_CONDITIONS, PERIOD_DAYS, SLI_WINDOWS, dashboardUid, objectiveRatio, sloSentence } from './slo.js';

/**
 * One Grafana dashboard per service: a RED row (rate, errors, duration percentiles) read
 * from the raw histogram, and one SLO row per objective read from the recording rules
 * (budget left, SLI, burn rate per alert window with the alert factors as thresholds).
 * Plain JSON in the classic dashboard model; the tests type-check it against @grafana/schema.
 */

const DS = { type: 'prometheus', uid: '${datasource}' };
const RATE = '$__rate_interval';

type Json = Record<string, unknown>;

interface PanelCtx {
  nextId: number;
  y: number;
}

function target(expr: string, legendFormat: string, refId: string): Json {
  return { refId, datasource: DS, expr, legendFormat, range: true };
}

function row(ctx: PanelCtx, title: string): Json {
  const p = { id: ctx.nextId++, type: 'row', title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: ctx.y }, panels: [] };
  ctx.y += 1;
  return p;
}

function timeseries(ctx: PanelCtx, title: string, x: number, w: number, targets: Json[], unit: string, extra: Json = {}): Json {
  return {
    id: ctx.nextId++,
    type: 'timeseries',
    title,
    datasource: DS,
    gridPos: { h: 8, w, x, y: ctx.y },
    targets,
    fieldConfig: { defaults: { unit, ...extra }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } },
  };
}

function stat(ctx: PanelCtx, title: string, x: number, w: number, expr: string, unit: string, thresholds: Json): Json {
  return {
    id: ctx.nextId++,
    type: 'stat',
    title,
    datasource: DS,
    gridPos: { h: 8, w, x, y: ctx.y },
    targets: [target(expr, title, 'A')],
    fieldConfig: { defaults: { unit, decimals: 3, thresholds }, overrides: [] },
    options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'none', textMode: 'auto' },
  };
}

function redPanels(svc: Service, ctx: PanelCtx): Json[] {
  const count = requestCountMetric(svc);
  const status = svc.metrics.statusLabel;
  const panels = [
    row(ctx, 'Requests (RED)'),
    timeseries(ctx, 'Request rate by status', 0, 8, [target(`sum by (${status}) (rate(${count}${serviceSelector(svc)}[${RATE}]))`, `{{${status}}}`, 'A')], 'reqps'),
    timeseries(
      ctx,
      'Error ratio (5xx)',
      8,
      8,
      [target(`(sum(rate(${count}${serviceSelector(svc, serverErrorMatcher(svc))}[${RATE}])) or vector(0))\n/\nsum(rate(${count}${serviceSelector(svc)}[${RATE}]))`, '5xx ratio', 'A')],
      'percentunit',
    ),
    timeseries(
      ctx,
      'Request duration percentiles',
      16,
      8,
      [
        target(durationQuantileQuery(svc, 0.5, RATE), 'p50', 'A'),
        target(durationQuantileQuery(svc, 0.9, RATE), 'p90', 'B'),
        target(durationQuantileQuery(svc, 0.99, RATE), 'p99', 'C'),
      ],
      's',
    ),
  ];
  ctx.y += 8;
  return panels;
}

/**
 * Workers and jobs serve no requests, so a RED row would stay empty: they get the container's
 * CPU and memory (cAdvisor series, which kube-prometheus-stack scrapes) instead.
 */
function resourcePanels(svc: Service, ctx: PanelCtx): Json[] {
  const sel = `{container=${JSON.stringify(svc.name)}}`;
  const panels = [
    row(ctx, 'Resources (no requests: a ' + svc.kind + ')'),
    timeseries(ctx, 'CPU by pod (cores)', 0, 12, [target(`sum by (namespace, pod) (rate(container_cpu_usage_seconds_total${sel}[${RATE}]))`, '{{namespace}}/{{pod}}', 'A')], 'none'),
    timeseries(ctx, 'Memory working set by pod', 12, 12, [target(`sum by (namespace, pod) (container_memory_working_set_bytes${sel})`, '{{namespace}}/{{pod}}', 'A')], 'bytes'),
  ];
  ctx.y += 8;
  return panels;
}

const servesRequests = (svc: Service): boolean => svc.kind === 'web' || svc.kind === 'grpc';

function sloPanels(svc: Service, slo: Slo, ctx: PanelCtx): Json[] {
  const sel = sloSelector(svc, slo);
  const steps = (entries: [number | null, string][]) => ({ mode: 'absolute', steps: entries.map(([value, color]) => ({ value, color })) });
  const factors = [...BURN_CONDITIONS.page, ...BURN_CONDITIONS.ticket].map((c) => c.factor).sort((a, b) => a - b);
  const panels = [
    row(ctx, `SLO ${slo.name}: ${sloSentence(slo)} over ${PERIOD_DAYS} days`),
    stat(ctx, `Error budget remaining (${PERIOD_DAYS}d)`, 0, 6, `slo:period_error_budget_remaining:ratio${sel}`, 'percentunit', steps([[null, 'red'], [0, 'orange'], [0.25, 'green']])),
    stat(ctx, `SLI (${PERIOD_DAYS}d)`, 6, 6, `1 - slo:sli_error:ratio_rate${PERIOD_DAYS}d${sel}`, 'percentunit', steps([[null, 'red'], [objectiveRatio(slo), 'green']])),
    timeseries(
      ctx,
      'Burn rate by window (× budget)',
      12,
      12,
      SLI_WINDOWS.map((w, i) => target(`slo:sli_error:ratio_rate${w}${sel}\n/ on(service, slo)\nslo:error_budget:ratio${sel}`, w, String.fromCharCode(65 + i))),
      'none',
      {
        // The alert factors (1, 3, 6, 14.4) drawn as threshold lines.
        thresholds: steps([[null, 'green'], ...factors.map((f, i): [number, string] => [f, ['yellow', 'orange', 'red', 'dark-red'][i] ?? 'red'])]),
        custom: { thresholdsStyle: { mode: 'line' } },
      },
    ),
  ];
  ctx.y += 8;
  return panels;
}

export function serviceDashboard(spec: Spec, svc: Service): Json {
  const ctx: PanelCtx = { nextId: 1, y: 0 };
  const serves = servesRequests(svc);
  const panels = [...(serves ? redPanels(svc, ctx) : resourcePanels(svc, ctx)), ...svc.slos.flatMap((slo) => sloPanels(svc, slo, ctx))];
  return {
    uid: dashboardUid(spec, svc),
    title: serves ? `${spec.project.name} / ${svc.name}: RED and SLOs` : `${spec.project.name} / ${svc.name}: resources`,
    description: serves
      ? `Requests, errors and duration of ${svc.name}, and its SLO error budgets. Generated from devops.yaml.`
      : `CPU and memory of ${svc.name} (a ${svc.kind}: it serves no requests, so no request panels). Generated from devops.yaml.`,
    tags: ['devops-init', 'slo', spec.project.name, svc.name],
    timezone: 'utc',
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          hide: 0,
          refresh: 1,
          // "default" = Grafana's default data source until someone picks another.
          current: { text: 'default', value: 'default' },
          options: [],
        },
      ],
    },
    annotations: { list: [] },
    links: [],
    panels,
  };
}

/** The dashboard as a ConfigMap the kube-prometheus-stack Grafana sidecar imports. */
export function dashboardConfigMap(spec: Spec, svc: Service): Json {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${svc.name}-dashboard`,
      namespace: spec.monitoring.namespace,
      labels: {
        // The sidecar's default label (sidecar.dashboards.label / labelValue in the chart).
        grafana_dashboard: '1',
        'app.kubernetes.io/name': svc.name,
        'app.kubernetes.io/part-of': spec.project.name,
        'app.kubernetes.io/managed-by': 'devops-init',
      },
    },
    data: { [`${svc.name}.json`]: JSON.stringify(serviceDashboard(spec, svc), null, 2) + '\n' },
  };
}
