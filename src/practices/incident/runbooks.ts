import type { AlertModel, Model } from '../../model/types.js';
import type { SeverityLevel } from './config.js';

/** The default folder for runbooks, when an alert's runbook_url points outside this repository. */
export const RUNBOOK_DIR = 'docs/runbooks';
export const RUNBOOK_INDEX = `${RUNBOOK_DIR}/README.md`;

/**
 * The repo-relative file an alert's runbook_url names, when the URL is a file on this
 * repository's default branch (the monitoring default); undefined when it points elsewhere.
 */
export function runbookPath(model: Pick<Model, 'source'>, runbookUrl: string): string | undefined {
  const base = model.source.blobURL('');
  if (!runbookUrl.startsWith(base)) return undefined;
  const rest = decodeURIComponent(runbookUrl.slice(base.length).split(/[?#]/)[0]!);
  if (rest === '' || rest.startsWith('/') || rest.split('/').includes('..') || !/^[A-Za-z0-9._/-]+$/.test(rest)) return undefined;
  return rest;
}

/** SEV level an alert maps to: pages are the worst level routed to `page` below SEV1, tickets the first `ticket` level; a blind SLO the last. */
export function severityOf(alert: AlertModel, severities: SeverityLevel[]): SeverityLevel {
  const pages = severities.filter((s) => s.routing === 'page');
  const tickets = severities.filter((s) => s.routing === 'ticket');
  if (alert.severity === 'page') return pages[1] ?? pages[0] ?? severities[0]!;
  if (alert.slo === undefined) return tickets[tickets.length - 1] ?? severities[severities.length - 1]!;
  return tickets[0] ?? severities[severities.length - 1]!;
}

export interface Step {
  title: string;
  text: string;
  commands: string[];
}

export interface RunbookData {
  alert: string;
  service: string;
  severity: 'page' | 'ticket';
  sev: SeverityLevel;
  slo: string | null;
  sliMissing: boolean;
  latency: boolean;
  summary: string;
  description: string;
  forDuration: string;
  expr: string;
  dashboardUrl: string;
  runbookUrl: string;
  language: string;
  port: number | null;
  strategy: string;
  namespace: string;
  diagnosis: Step[];
  mitigations: Step[];
  verify: string[];
  escalation: { role: string; contact: string }[];
  postmortem: boolean;
}

interface Ctx {
  model: Model;
  severities: SeverityLevel[];
  escalation: { role: string; contact: string }[];
}

/** The namespace production runs in, when gitops says; else a placeholder the team replaces. */
function productionNamespace(model: Model): string {
  return model.namespaces?.production ?? '<production-namespace>';
}

function diagnosis(alert: AlertModel, latency: boolean, ns: string, svcLabel: string): Step[] {
  if (alert.slo === undefined) {
    return [
      { title: 'Is the service running?', text: 'No pods, or pods crash-looping, means no requests and no metrics.', commands: [`kubectl -n ${ns} get pods -l app.kubernetes.io/name=${alert.service}`, `kubectl -n ${ns} describe pods -l app.kubernetes.io/name=${alert.service}`] },
      { title: 'Do its metrics reach Prometheus?', text: 'Look for the service\'s request counter in Prometheus (Explore). Nothing: check the OpenTelemetry collector\'s logs and that the service exports OTLP to it.', commands: [`kubectl -n ${ns} logs -l app.kubernetes.io/name=${alert.service} --tail=100`] },
      { title: 'Did the metric or its labels change?', text: `A renamed metric or label (an SDK upgrade) makes every SLO of ${alert.service} blind. Compare what the service exports with services[].metrics in devops.yaml.`, commands: [] },
    ];
  }
  const steps: Step[] = [
    { title: 'Confirm the impact', text: `Open the dashboard and check the SLO panel: error ratio over the alert's windows and the remaining error budget. The query below is what fired.`, commands: [] },
    {
      title: 'What changed?',
      text: 'Most incidents follow a change. Look at the last deploys of this service and of its dependencies, and at recent flag changes.',
      commands: [`git log --since=24.hours --oneline`, `kubectl -n ${ns} get events --sort-by=.lastTimestamp | tail -30`],
    },
  ];
  if (latency) {
    steps.push({ title: 'Where is the time going?', text: `Compare p50/p99 per route on the dashboard; check traces of slow requests (Tempo, by trace id from the logs) for a slow dependency or database.`, commands: [`kubectl -n ${ns} top pods -l app.kubernetes.io/name=${alert.service}`] });
  } else {
    steps.push({ title: 'Which requests fail?', text: `Break the 5xx down by route and status on the dashboard; read the error logs (Loki: {${svcLabel}="${alert.service}"} |= "error").`, commands: [`kubectl -n ${ns} logs -l app.kubernetes.io/name=${alert.service} --tail=200 | grep -i error`] });
  }
  steps.push({ title: 'Is it the platform?', text: 'Nodes, restarts, OOM kills and throttling are causes worth checking (not alerting on).', commands: [`kubectl -n ${ns} get pods -l app.kubernetes.io/name=${alert.service} -o wide`, 'kubectl get nodes'] });
  return steps;
}

function mitigations(ctx: Ctx, alert: AlertModel, ns: string): Step[] {
  const { model } = ctx;
  const svc = model.spec.services.find((s) => s.name === alert.service);
  const workload = model.workloads.find((w) => w.service === alert.service);
  const production = workload?.overlays.find((o) => o.name === 'production');
  const out: Step[] = [];
  if (alert.slo === undefined) return out;
  if (production) {
    out.push({
      title: 'Roll back: revert the promotion commit',
      text: `Git is the source of truth: find the commit that last changed ${production.dir} (the production image pin), revert it through a ${model.source.changeRequest.name}, and Argo CD deploys the previous version.`,
      commands: [`git log --oneline -5 -- ${production.dir}`, 'git revert <promotion-commit>'],
    });
  } else {
    out.push({ title: 'Roll back the last deploy', text: 'Redeploy the previous image the way this repository deploys (devops-init does not manage the deployment here).', commands: [`kubectl -n ${ns} rollout undo deployment/${alert.service}`] });
  }
  if (workload?.kind === 'Rollout') {
    out.push({
      title: `Abort or undo the ${svc?.deploy.strategy ?? 'progressive'} rollout`,
      text: 'While a rollout is in progress, abort sends all traffic back to the stable version at once; undo rolls back to the previous revision. Then revert the promotion commit, or Argo CD re-applies the bad version.',
      commands: [`kubectl argo rollouts -n ${ns} get rollout ${alert.service}`, `kubectl argo rollouts -n ${ns} abort ${alert.service}`, `kubectl argo rollouts -n ${ns} undo ${alert.service}`],
    });
  }
  const flagFile = production?.configMaps[0]?.file;
  if (svc?.deploy.featureFlags && flagFile) {
    out.push({ title: 'Kill switch: turn the flag off', text: `If the failing code path is behind a flag, set its defaultVariant to off in ${production!.dir}/${flagFile} and merge: faster and smaller than a rollback.`, commands: [] });
  }
  const max = svc?.deploy.replicas.production.max;
  out.push({
    title: 'Scale out',
    text: `When the cause is load, add capacity: raise the production replica bounds${max ? ` (now up to ${max})` : ''} in devops.yaml and sync, or scale by hand for now (Argo CD's self-heal reverts a manual scale of a synced object).`,
    commands: [`kubectl -n ${ns} scale ${workload?.kind === 'Rollout' ? 'rollout' : 'deployment'}/${alert.service} --replicas=<n>`],
  });
  out.push({
    title: 'Fail over',
    text: 'devops-init generates one production cluster: there is no second region to fail over to unless you built one. If you have one, shift traffic there (DNS or load balancer) and say so in the incident channel.',
    commands: [],
  });
  return out;
}

function verify(alert: AlertModel): string[] {
  if (alert.slo === undefined) return ['The request metric is back in Prometheus and the alert resolves (absent_over_time turns empty).'];
  return [
    'The error ratio on the dashboard is back under the SLO threshold for both burn windows.',
    `The alert resolves in Alertmanager (it needs the condition false; the rule waits ${alert.for ?? 'its for'} before firing again).`,
    'Note how much error budget the incident burned: it goes in the postmortem.',
  ];
}

export function runbookData(ctx: Ctx, alert: AlertModel): RunbookData {
  const { model } = ctx;
  const svc = model.spec.services.find((s) => s.name === alert.service);
  const ns = productionNamespace(model);
  const sev = severityOf(alert, ctx.severities);
  const latency = alert.slo !== undefined && (svc?.slos.find((s) => s.name === alert.slo)?.kind === 'latency');
  return {
    alert: alert.name,
    service: alert.service,
    severity: alert.severity,
    sev,
    slo: alert.slo ?? null,
    sliMissing: alert.slo === undefined,
    latency,
    summary: alert.summary,
    description: alert.description ?? '',
    forDuration: alert.for ?? '',
    expr: alert.expr,
    dashboardUrl: alert.dashboardUrl,
    runbookUrl: alert.runbookUrl,
    language: svc?.language ?? 'unknown',
    port: svc?.port ?? null,
    strategy: svc?.deploy.strategy ?? 'rolling',
    namespace: ns,
    diagnosis: diagnosis(alert, latency, ns, svc?.metrics.serviceLabel ?? 'job'),
    mitigations: mitigations(ctx, alert, ns),
    verify: verify(alert),
    escalation: ctx.escalation,
    postmortem: sev.postmortem,
  };
}
