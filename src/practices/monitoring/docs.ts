import type { Model } from '../../model/types.js';
import type { Service, Spec } from '../../spec/types.js';
import { leMatcher, thresholdSeconds } from '../../model/promql.js';
import { HEARTBEAT_REPEAT_INTERVAL, RECEIVERS, alertmanagerSecrets, pageReceiver, teamChannel, teamReceiver, teams } from './alertmanager.js';
import { PERIOD_RATE_WINDOW } from './rules.js';
import { pipelineFile } from '../../model/pipeline-files.js';
import {
  ALERT_FOR,
  BURN_CONDITIONS,
  PERIOD_DAYS,
  SLI_MISSING_FOR,
  SLI_MISSING_WINDOW,
  alertName,
  dashboardUrl,
  errorBudget,
  isPlaceholderGrafana,
  runbookUrl,
  sliMissingAlertName,
  sloSentence,
} from './slo.js';

/** The boundary the docs' View snippets add, for an exact 300 ms SLO (the handbook's example). */
const VIEW_EXTRA_BOUNDARY = 0.3;

const num = (n: number) => String(Number(n.toFixed(6)));

/** Minutes of full outage the 30-day budget allows, e.g. 43.2 for 99.9%. */
function budgetMinutes(budget: number): string {
  return num(Math.round(budget * PERIOD_DAYS * 24 * 60 * 10) / 10);
}

/** Everything docs/slos.md prints, computed here so the template stays plain. */
export function docsData(spec: Spec, model: Model, services: Service[]): Record<string, unknown> {
  const languages = new Set(spec.services.map((s) => s.language));
  const example = services.find((s) => s.slos.length > 0) ?? services[0]!;
  const exampleIndex = spec.services.findIndex((s) => s.name === example.name);
  const exampleBuckets = example.metrics.latencyBuckets;
  const viewAddsBoundary = !exampleBuckets.includes(VIEW_EXTRA_BOUNDARY);
  const viewBuckets = viewAddsBoundary ? [...exampleBuckets, VIEW_EXTRA_BOUNDARY].sort((a, b) => a - b) : exampleBuckets;
  return {
    ciFile: pipelineFile(spec.ci.provider, 'monitoring'),
    periodDays: PERIOD_DAYS,
    minRequestRate: spec.monitoring.minRequestRate,
    minRequestsPerHour: num(spec.monitoring.minRequestRate * 3600),
    guarded: spec.monitoring.minRequestRate > 0,
    pageFor: ALERT_FOR.page,
    ticketFor: ALERT_FOR.ticket,
    missingFor: SLI_MISSING_FOR,
    missingWindow: SLI_MISSING_WINDOW,
    conditions: (['page', 'ticket'] as const).flatMap((severity) =>
      BURN_CONDITIONS[severity].map((c) => ({
        severity,
        ...c,
        percent: num(c.budgetSpent * 100),
        exhaustDays: num(Math.round((PERIOD_DAYS / c.factor) * 10) / 10),
      })),
    ),
    slos: services.flatMap((svc) =>
      svc.slos.map((slo) => ({
        service: svc.name,
        name: slo.name,
        kind: slo.kind,
        sentence: sloSentence(slo),
        budgetPercent: num(errorBudget(slo) * 100),
        budgetMinutes: budgetMinutes(errorBudget(slo)),
        page: alertName(svc, slo, 'page'),
        ticket: alertName(svc, slo, 'ticket'),
        pageRunbook: runbookUrl(spec, alertName(svc, slo, 'page')),
        ticketRunbook: runbookUrl(spec, alertName(svc, slo, 'ticket')),
        le: slo.kind === 'latency' ? leMatcher(thresholdSeconds(slo)) : '',
      })),
    ),
    services: services.map((svc) => ({
      name: svc.name,
      team: svc.team ?? '',
      dashboard: dashboardUrl(spec, svc),
      selector: Object.entries(svc.metrics.selector ?? {}).map(([k, v]) => `${k}="${v}"`).join(', '),
      buckets: svc.metrics.latencyBuckets.join(', '),
      missing: svc.slos.length > 0 ? sliMissingAlertName(svc) : '',
      missingRunbook: runbookUrl(spec, sliMissingAlertName(svc)),
    })),
    exampleIndex,
    exampleService: example.name,
    buckets: exampleBuckets.join(', '),
    viewBuckets: viewBuckets.join(', '),
    viewAddsBoundary,
    requestDuration: example.metrics.requestDuration,
    node: languages.has('node'),
    python: languages.has('python'),
    java: languages.has('java'),
    go: languages.has('go'),
    receivers: RECEIVERS,
    defaultChannel: spec.monitoring.slack.defaultChannel,
    teamRoutes: teams(spec).map((t) => ({ team: t, receiver: teamReceiver(t), channel: teamChannel(t) })),
    pagerdutyKeyFile: spec.monitoring.pagerduty.routingKeyFile,
    pageReceiver: pageReceiver(model.alerting?.routing),
    pagingTool: { pagerduty: `PagerDuty Events API v2; the routing key is read from \`${spec.monitoring.pagerduty.routingKeyFile}\``, opsgenie: `Opsgenie; the API key is read from \`${spec.monitoring.opsgenie.apiKeyFile}\``, none: `Slack \`${spec.monitoring.slack.defaultChannel}\`: incident.onCall.tool is none` }[model.alerting?.routing?.pagingTool ?? 'pagerduty'],
    sevRouting: model.alerting?.routing
      ? (['page', 'ticket'] as const).flatMap((to) => {
          const names = model.alerting!.routing!.levels.filter((l) => l.routing === to).map((l) => l.name);
          return names.length ? [{ matcher: `${model.alerting!.routing!.label}=~"${names.join('|')}"`, page: to === 'page' }] : [];
        })
      : [],
    secrets: alertmanagerSecrets(spec, model.alerting?.routing).map((s) => ({
      name: s.secret?.name ?? '(not under /etc/alertmanager/secrets/: mount it yourself)',
      key: s.secret?.key ?? '',
      content: s.content,
      file: s.file,
    })),
    deployedByGitops: model.argocd !== undefined && model.telemetry !== undefined,
    heartbeatFile: spec.monitoring.heartbeat.urlFile,
    heartbeatRepeat: HEARTBEAT_REPEAT_INTERVAL,
    periodRateWindow: PERIOD_RATE_WINDOW,
    grafanaUrl: spec.monitoring.grafanaUrl,
    grafanaPlaceholder: isPlaceholderGrafana(spec.monitoring.grafanaUrl),
    runbookBase: spec.monitoring.runbookBaseUrl,
    incident: model.practices.includes('incident'),
    selectedByNamespace: model.telemetry !== undefined && model.namespaces !== undefined,
    selectedByDeclaredEnvironment: model.telemetry !== undefined && model.namespaces === undefined,
    productionNamespace: model.namespaces?.production ?? '',
    slackUrlFile: spec.monitoring.slack.apiUrlFile,
    release: spec.monitoring.prometheusRelease,
    namespace: spec.monitoring.namespace,
    gitops: model.argocd !== undefined,
    gitopsDir: spec.gitops.dir,
  };
}
