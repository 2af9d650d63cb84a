import type { AlertModel, LogsModel, Model, OverlayModel } from '../../model/types.js';
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

/**
 * Where this service's error lines are, with the labels the generated log pipeline really sets
 * (model.logs, from logging or observability); without one, which labels to use instead.
 */
function logsHint(logs: LogsModel | undefined, ns: string, service: string): string {
  if (logs) return `read the error logs in Loki (shipped by ${logs.shipper}): \`${logs.errorQuery(ns, service)}\`.`;
  return `read the error logs below. devops-init generates no log pipeline here (logging is off); if your logs reach Loki, select the stream by the labels your shipper sets for the pod's namespace (\`${ns}\`) and its \`app.kubernetes.io/name=${service}\` label, not by the metrics' \`job\`.`;
}

function diagnosis(alert: AlertModel, latency: boolean, ns: string, logs: LogsModel | undefined): Step[] {
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
    steps.push({ title: 'Which requests fail?', text: `Break the 5xx down by route and status on the dashboard; ${logsHint(logs, ns, alert.service)}`, commands: [`kubectl -n ${ns} logs -l app.kubernetes.io/name=${alert.service} --tail=200 | grep -i error`] });
  }
  steps.push({ title: 'Is it the platform?', text: 'Nodes, restarts, OOM kills and throttling are causes worth checking (not alerting on).', commands: [`kubectl -n ${ns} get pods -l app.kubernetes.io/name=${alert.service} -o wide`, 'kubectl get nodes'] });
  return steps;
}

/** The repo-relative path of each flag file of an overlay: `source` is a configMapGenerator entry, `key=path` relative to the overlay. */
function flagFiles(overlay: OverlayModel): string[] {
  return overlay.configMaps.map((c) => `${overlay.dir}/${c.source.includes('=') ? c.source.slice(c.source.indexOf('=') + 1) : c.source}`);
}

/** The name of the HorizontalPodAutoscaler an overlay patches, when it has one (gitops' HPA patch, inline in the overlay's kustomization.yaml). */
function hpaName(overlay: OverlayModel | undefined): string | undefined {
  for (const f of overlay?.patches ?? []) {
    const hpa = f.objects().find((o) => o['kind'] === 'HorizontalPodAutoscaler');
    const name = (hpa?.['metadata'] as { name?: string } | undefined)?.name;
    if (name) return name;
  }
  return undefined;
}

function mitigations(ctx: Ctx, alert: AlertModel, ns: string): Step[] {
  const { model } = ctx;
  const svc = model.spec.services.find((s) => s.name === alert.service);
  const workload = model.workloads.find((w) => w.service === alert.service);
  const production = workload?.overlays.find((o) => o.name === 'production');
  // Argo CD syncs production by itself, with self-heal, unless the spec asks for manual syncs.
  const selfHeal = production !== undefined && model.argocd !== undefined && model.spec.gitops.productionSync === 'automated';
  const reverts = selfHeal
    ? 'Argo CD\'s self-heal puts it back from Git within seconds'
    : 'it differs from Git, so the next Argo CD sync puts it back';
  const out: Step[] = [];
  if (alert.slo === undefined) return out;
  // With a Rollout, abort comes first: it acts in seconds, and it survives self-heal (status only).
  if (workload?.kind === 'Rollout') {
    out.push({
      title: `Abort the ${svc?.deploy.strategy ?? 'progressive'} rollout, then revert in Git`,
      text: 'While a rollout is in progress, `abort` sends all traffic back to the stable pods at once. It changes only the Rollout\'s status, which Git does not hold and a sync does not touch, so it lasts; the spec still names the new version and the Rollout stays aborted. ' +
        'Then revert the promotion commit (next): the spec names the stable version again and the rollout is over. ' +
        `Do not use \`kubectl argo rollouts undo\` here: it rewrites the Rollout's spec, and ${reverts}, bad version included.`,
      commands: [`kubectl argo rollouts -n ${ns} get rollout ${alert.service}`, `kubectl argo rollouts -n ${ns} abort ${alert.service}`],
    });
  }
  if (production) {
    out.push({
      title: 'Roll back: revert the promotion commit',
      text: `Git is the source of truth: find the commit that last changed ${production.dir} (the production image pin), revert it through a ${model.source.changeRequest.name}, and Argo CD deploys the previous version.`,
      commands: [`git log --oneline -5 -- ${production.dir}`, 'git revert <promotion-commit>'],
    });
  } else {
    out.push({ title: 'Roll back the last deploy', text: 'Redeploy the previous image the way this repository deploys (devops-init does not manage the deployment here).', commands: [`kubectl -n ${ns} rollout undo deployment/${alert.service}`] });
  }
  const flagFile = production ? flagFiles(production)[0] : undefined;
  if (svc?.deploy.featureFlags && flagFile) {
    out.push({
      title: 'Kill switch: turn the flag off',
      text: `If the failing code path is behind a flag, set that flag's \`"state": "DISABLED"\` in \`${flagFile}\` and merge: every caller then uses its code default (flagd treats a disabled flag as absent). ` +
        'Setting `defaultVariant` to `"off"` alone does nothing while `targeting` (the seeded `fractional` rule) returns a variant; it works only with `targeting` removed, and DISABLED is one word to revert. ' +
        'Argo CD updates the ConfigMap and flagd reloads it within a minute or two, no redeploy: faster and smaller than a rollback (docs/feature-flags.md).',
      commands: [],
    });
  }
  const replicas = svc?.deploy.replicas.production;
  const hpa = hpaName(production);
  if (hpa) {
    out.push({
      title: 'Scale out',
      text: `When the cause is load, add capacity. The HorizontalPodAutoscaler \`${hpa}\` owns the replica count: it sets it from its metrics within its bounds, so a \`kubectl scale\` does not last. Raise its floor (minReplicas) instead. ` +
        `The change that lasts is in Git: raise services[].deploy.replicas.production in devops.yaml${replicas ? ` (now ${replicas.min} to ${replicas.max})` : ''}, run \`devops-init sync\` and merge; Argo CD applies the new bounds. ` +
        (selfHeal
          ? `A live \`kubectl patch\` of the HPA does not help here: ${reverts}. Turning off auto-sync on the Application does not hold either, because the ApplicationSet that generates it restores its sync policy.`
          : `Meanwhile a live patch of the HPA raises the floor at once, but ${reverts}: make the Git change before anyone syncs.`),
      commands: [`kubectl -n ${ns} get hpa ${hpa}`, ...(selfHeal ? [] : [`kubectl -n ${ns} patch hpa ${hpa} --type merge -p '{"spec":{"minReplicas":<n>}}'`])],
    });
  } else {
    out.push({
      title: 'Scale out',
      text: 'When the cause is load, add capacity the way this repository deploys (devops-init does not manage this workload\'s replicas). If a HorizontalPodAutoscaler targets it, raise its minReplicas: it overrides `kubectl scale`.',
      commands: [`kubectl -n ${ns} get hpa`],
    });
  }
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
    diagnosis: diagnosis(alert, latency, ns, model.logs),
    mitigations: mitigations(ctx, alert, ns),
    verify: verify(alert),
    escalation: ctx.escalation,
    postmortem: sev.postmortem,
  };
}
