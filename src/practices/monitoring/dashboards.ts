import type { Service, Spec } from '../../spec/types.js';
import {
  durationQuantileQuery,
  requestCountMetric,
  serverErrorMatcher,
  serviceSelector,
} from '../../model/promql.js';
import { BURN_CONDITIONS, PERIOD_DAYS, SLI_WINDOWS, dashboardOf } from './slo.js';

/**
 * One shared Grafana dashboard for every service (issue 13), as Grafana users expect: a
 * `service` variable picks the service; a RED row (rate, errors, duration percentiles) reads the
 * raw histogram, a resources row the container's CPU and memory, and one SLO row per objective
 * of the service (a row repeated over the `slo` variable) reads the recording rules: budget left,
 * SLI and objective (each service's objective is the recorded `slo:objective:ratio`, so one
 * dashboard serves every objective), burn rate per alert window with the alert factors as
 * thresholds. Services whose metrics devops.yaml names differently get a dashboard of their own
 * shape (`dashboardOf`). Plain JSON in the classic dashboard model; the tests type-check it
 * against @grafana/schema.
 */

const DS = { type: 'prometheus', uid: '${datasource}' };
const RATE = '$__rate_interval';
/** The SLO records' labels, for the selected service and SLO. */
const SLO_SEL = '{service="$service",slo="$slo"}';

type Json = Record<string, unknown>;

interface PanelCtx {
  nextId: number;
  y: number;
}

function target(expr: string, legendFormat: string, refId: string): Json {
  return { refId, datasource: DS, expr, legendFormat, range: true };
}

function row(ctx: PanelCtx, title: string, extra: Json = {}): Json {
  const p = { id: ctx.nextId++, type: 'row', title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: ctx.y }, panels: [], ...extra };
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

/** The group's metric names and matchers, with the service's name left to the `service` variable. */
function templated(svc: Service): Service {
  return { ...svc, name: '$service' };
}

function redPanels(shape: Service, ctx: PanelCtx): Json[] {
  const svc = templated(shape);
  const count = requestCountMetric(svc);
  const status = svc.metrics.statusLabel;
  const panels = [
    row(ctx, 'Requests (RED; empty for workers and jobs, which serve none)'),
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

/** The container's CPU and memory (cAdvisor series, which kube-prometheus-stack scrapes): every kind of service has them. */
function resourcePanels(ctx: PanelCtx): Json[] {
  const sel = '{container="$service"}';
  const panels = [
    row(ctx, 'Resources'),
    timeseries(ctx, 'CPU by pod (cores)', 0, 12, [target(`sum by (namespace, pod) (rate(container_cpu_usage_seconds_total${sel}[${RATE}]))`, '{{namespace}}/{{pod}}', 'A')], 'none'),
    timeseries(ctx, 'Memory working set by pod', 12, 12, [target(`sum by (namespace, pod) (container_memory_working_set_bytes${sel})`, '{{namespace}}/{{pod}}', 'A')], 'bytes'),
  ];
  ctx.y += 8;
  return panels;
}

const servesRequests = (svc: Service): boolean => svc.kind === 'web' || svc.kind === 'grpc';

/** One row per SLO of the selected service (Grafana repeats it over the `slo` variable). */
function sloPanels(ctx: PanelCtx): Json[] {
  const steps = (entries: [number | null, string][]) => ({ mode: 'absolute', steps: entries.map(([value, color]) => ({ value, color })) });
  const factors = [...BURN_CONDITIONS.page, ...BURN_CONDITIONS.ticket].map((c) => c.factor).sort((a, b) => a - b);
  const panels = [
    row(ctx, `SLO $slo (${PERIOD_DAYS} days)`, { repeat: 'slo' }),
    stat(ctx, `Error budget remaining (${PERIOD_DAYS}d)`, 0, 4, `slo:period_error_budget_remaining:ratio${SLO_SEL}`, 'percentunit', steps([[null, 'red'], [0, 'orange'], [0.25, 'green']])),
    // The SLI is green while the budget lasts: its objective differs per service, so the colour
    // comes from the budget (SLI ≥ objective ⇔ budget remaining ≥ 0), not from a fixed threshold.
    stat(ctx, `SLI (${PERIOD_DAYS}d)`, 4, 4, `1 - slo:sli_error:ratio_rate${PERIOD_DAYS}d${SLO_SEL}`, 'percentunit', steps([[null, 'text']])),
    stat(ctx, 'Objective', 8, 4, `slo:objective:ratio${SLO_SEL}`, 'percentunit', steps([[null, 'text']])),
    timeseries(
      ctx,
      'Burn rate by window (× budget)',
      12,
      12,
      SLI_WINDOWS.map((w, i) => target(`slo:sli_error:ratio_rate${w}${SLO_SEL}\n/ on(service, slo)\nslo:error_budget:ratio${SLO_SEL}`, w, String.fromCharCode(65 + i))),
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

/** A shared dashboard: the services of one metrics shape (see dashboardOf), in devops.yaml's order. */
export interface SharedDashboard {
  uid: string;
  /** Output file in monitoring/dashboards/ (no service name can end in ".dashboard.yaml"). */
  file: string;
  services: Service[];
}

/** The shared dashboards: one for every service unless devops.yaml gives some their own metric names or selector. */
export function sharedDashboards(spec: Spec, services: Service[]): SharedDashboard[] {
  const byUid = new Map<string, SharedDashboard>();
  for (const svc of services) {
    const { uid, key } = dashboardOf(spec, svc);
    const d = byUid.get(uid) ?? { uid, file: key ? `services-${key}.dashboard.yaml` : 'services.dashboard.yaml', services: [] };
    d.services.push(svc);
    byUid.set(uid, d);
  }
  return [...byUid.values()];
}

export function serviceDashboard(spec: Spec, group: SharedDashboard): Json {
  const ctx: PanelCtx = { nextId: 1, y: 0 };
  const shape = group.services[0]!;
  const names = group.services.map((s) => s.name);
  const anySlo = group.services.some((s) => s.slos.length > 0);
  const panels = [
    ...(group.services.some(servesRequests) ? redPanels(shape, ctx) : []),
    ...resourcePanels(ctx),
    ...(anySlo ? sloPanels(ctx) : []),
  ];
  const variable = (v: Json): Json => ({ hide: 0, skipUrlSync: false, ...v });
  return {
    uid: group.uid,
    title: `${spec.project.name} / services: RED and SLOs${group.file === 'services.dashboard.yaml' ? '' : ` (${names.join(', ')})`}`,
    description: 'Requests, errors and duration, CPU and memory, and the SLO error budgets of the service picked above. Generated from devops.yaml.',
    tags: ['devops-init', 'slo', spec.project.name],
    timezone: 'utc',
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: {
      list: [
        variable({
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          refresh: 1,
          // "default" = Grafana's default data source until someone picks another.
          current: { text: 'default', value: 'default' },
          options: [],
        }),
        // The services from devops.yaml, so the list is right before any series exists.
        variable({
          name: 'service',
          label: 'Service',
          type: 'custom',
          query: names.join(','),
          current: { text: names[0]!, value: names[0]! },
          options: [],
        }),
        ...(anySlo
          ? [
              variable({
                name: 'slo',
                label: 'SLO',
                type: 'query',
                datasource: DS,
                query: 'label_values(slo:objective:ratio{service="$service"}, slo)',
                refresh: 2,
                multi: true,
                includeAll: true,
                current: { text: 'All', value: '$__all' },
                options: [],
              }),
            ]
          : []),
      ],
    },
    annotations: { list: [] },
    links: [],
    panels,
  };
}

/** The dashboard as a ConfigMap the kube-prometheus-stack Grafana sidecar imports. */
export function dashboardConfigMap(spec: Spec, group: SharedDashboard): Json {
  const name = group.file.replace(/\.dashboard\.yaml$/, '');
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${name}-dashboard`,
      namespace: spec.monitoring.namespace,
      labels: {
        // The sidecar's default label (sidecar.dashboards.label / labelValue in the chart).
        grafana_dashboard: '1',
        'app.kubernetes.io/part-of': spec.project.name,
        'app.kubernetes.io/managed-by': 'devops-init',
      },
    },
    data: { [`${name}.json`]: JSON.stringify(serviceDashboard(spec, group), null, 2) + '\n' },
  };
}
