import type { AlertRouting } from '../../model/types.js';
import type { Spec } from '../../spec/types.js';
import { sliMissingAlertName } from './slo.js';

/**
 * Alertmanager routing for the SLO alerts: page → PagerDuty (Events API v2), ticket → Slack
 * (a channel per team, else the default channel), everything else → the default Slack
 * channel. Secrets are only ever file references (mounted from Kubernetes Secrets).
 * Matchers are the `matchers` syntax with double-quoted values (the UTF-8 parser in
 * Alertmanager 0.27+ needs them; older versions accept them too).
 */

export const RECEIVERS = {
  default: 'default-slack',
  page: 'pagerduty',
  ticket: 'slack-tickets',
  heartbeat: 'heartbeat',
  silent: 'null',
} as const;

/** The receiver of page-worthy alerts for the incident practice's on-call tool (PagerDuty without incident). */
export const PAGE_RECEIVERS: Record<AlertRouting['pagingTool'], string> = { pagerduty: RECEIVERS.page, opsgenie: 'opsgenie', none: 'slack-pages' };

export function pageReceiver(routing?: AlertRouting): string {
  return PAGE_RECEIVERS[routing?.pagingTool ?? 'pagerduty'];
}

/** A matcher for the alerts whose incident severity routes to `routing` (undefined when no level does). */
function levelMatcher(routing: AlertRouting, to: 'page' | 'ticket'): string | undefined {
  const names = routing.levels.filter((l) => l.routing === to).map((l) => l.name);
  return names.length ? `${routing.label}=~"${names.join('|')}"` : undefined;
}

/**
 * How often Alertmanager re-posts the always-firing Watchdog to the heartbeat URL. Set the
 * heartbeat check's period to this and its grace to a few periods (e.g. 5m period, 10m grace):
 * a post is late by at most group_interval after the repeat is due.
 */
export const HEARTBEAT_REPEAT_INTERVAL = '5m';

/**
 * kube-prometheus-stack's own inhibition rules (values.yaml `alertmanager.config.inhibit_rules`
 * of chart 75.6.1, the version pinned in src/practices/observability/charts.ts), restated: Helm
 * merges maps but replaces lists, so setting our inhibit_rules in the chart values would drop
 * these (critical mutes warning/info of the same alert and namespace; InfoInhibitor). Same
 * matchers, written with double-quoted values like ours.
 */
export const CHART_INHIBIT_RULES: readonly Record<string, string[]>[] = [
  { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ['namespace', 'alertname'] },
  { source_matchers: ['severity="warning"'], target_matchers: ['severity="info"'], equal: ['namespace', 'alertname'] },
  { source_matchers: ['alertname="InfoInhibitor"'], target_matchers: ['severity="info"'], equal: ['namespace'] },
  { target_matchers: ['alertname="InfoInhibitor"'] },
];

/** Where the Prometheus operator mounts each Secret of `alertmanagerSpec.secrets`: <dir>/<name>/<key>. */
export const OPERATOR_SECRETS_DIR = '/etc/alertmanager/secrets';

/** A Kubernetes Secret name (DNS-1123 subdomain) and a Secret data key. */
const SECRET_NAME = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const SECRET_KEY = '[-._a-zA-Z0-9]+';
const MOUNTED = new RegExp(`^${OPERATOR_SECRETS_DIR}/(${SECRET_NAME})/(${SECRET_KEY})$`);

/** One secret the Alertmanager config reads from a file, and the Secret that file comes from. */
export interface AlertmanagerSecret {
  /** The config field that points at it, e.g. `routing_key_file`. */
  field: string;
  /** The devops.yaml key that sets the path. */
  specPath: string[];
  file: string;
  /** What goes in it. */
  content: string;
  /** The Secret and key the operator mounts at `file`; undefined when `file` is not under the operator's folder. */
  secret?: { name: string; key: string };
}

/** The Secret (name, key) mounted at `file` by the operator, if `file` has the operator's layout. */
export function mountedSecret(file: string): { name: string; key: string } | undefined {
  const m = MOUNTED.exec(file);
  return m ? { name: m[1]!, key: m[m.length - 1]! } : undefined;
}

/** The secrets the generated config reads, each with its Secret. Nothing secret is ever in the config itself. */
export function alertmanagerSecrets(spec: Spec, routing?: AlertRouting): AlertmanagerSecret[] {
  const { pagerduty, opsgenie, slack, heartbeat } = spec.monitoring;
  const tool = routing?.pagingTool ?? 'pagerduty';
  return [
    ...(tool === 'pagerduty' ? [{ field: 'routing_key_file', specPath: ['monitoring', 'pagerduty', 'routingKeyFile'], file: pagerduty.routingKeyFile, content: 'PagerDuty Events API v2 integration (routing) key' }] : []),
    ...(tool === 'opsgenie' ? [{ field: 'api_key_file', specPath: ['monitoring', 'opsgenie', 'apiKeyFile'], file: opsgenie.apiKeyFile, content: 'Opsgenie API key of an Alertmanager (API) integration' }] : []),
    { field: 'api_url_file', specPath: ['monitoring', 'slack', 'apiUrlFile'], file: slack.apiUrlFile, content: 'Slack incoming-webhook URL' },
    { field: 'url_file', specPath: ['monitoring', 'heartbeat', 'urlFile'], file: heartbeat.urlFile, content: 'heartbeat check ping URL' },
  ].map((s) => ({ ...s, secret: mountedSecret(s.file) }));
}

export function teamReceiver(team: string): string {
  return `slack-team-${team}`;
}

export function teamChannel(team: string): string {
  return `#${team}-alerts`;
}

/** Teams owning at least one service, sorted, once each. */
export function teams(spec: Spec): string[] {
  return [...new Set(spec.services.map((s) => s.team).filter((t): t is string => !!t))].sort();
}

const SLACK_TITLE = '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}';
const SLACK_TEXT = [
  '{{ range .Alerts }}*{{ .Annotations.summary }}*',
  '{{ .Annotations.description }}',
  'Runbook: {{ .Annotations.runbook_url }}',
  'Dashboard: {{ .Annotations.dashboard_url }}',
  '{{ end }}',
].join('\n');

function slackReceiver(spec: Spec, name: string, channel: string): Record<string, unknown> {
  return {
    name,
    slack_configs: [
      {
        api_url_file: spec.monitoring.slack.apiUrlFile,
        channel,
        // Slack defaults to false: without it nobody learns that the problem went away.
        send_resolved: true,
        title: SLACK_TITLE,
        text: SLACK_TEXT,
      },
    ],
  };
}

/** The receiver of page-worthy alerts: PagerDuty (default), Opsgenie, or Slack when there is no paging tool. */
function pagingReceiver(spec: Spec, routing?: AlertRouting): Record<string, unknown> {
  const name = pageReceiver(routing);
  const tool = routing?.pagingTool ?? 'pagerduty';
  const sev = routing ? `.CommonLabels.${routing.label}` : undefined;
  if (tool === 'none') {
    // No paging tool (incident.onCall.tool: none): pages go to the default Slack channel, and
    // docs/incident/on-call.md says who watches it around the clock.
    return slackReceiver(spec, name, spec.monitoring.slack.defaultChannel);
  }
  if (tool === 'opsgenie') {
    const worst = routing!.levels[0]!.name;
    return {
      name,
      opsgenie_configs: [
        {
          // API key of an Opsgenie "Alertmanager" (API) integration, read from a mounted Secret (never inline).
          api_key_file: spec.monitoring.opsgenie.apiKeyFile,
          send_resolved: true,
          message: '{{ .CommonAnnotations.summary }}',
          description: '{{ .CommonAnnotations.description }}\nRunbook: {{ .CommonAnnotations.runbook_url }}\nDashboard: {{ .CommonAnnotations.dashboard_url }}',
          // The worst incident severity is Opsgenie's P1; every other page-worthy one is P2.
          priority: `{{ if eq ${sev} "${worst}" }}P1{{ else }}P2{{ end }}`,
          tags: `{{ ${sev} }},{{ .CommonLabels.service }}`,
        },
      ],
    };
  }
  return {
    name,
    pagerduty_configs: [
      {
        // Events API v2 integration key, read from a mounted Secret (never inline).
        routing_key_file: spec.monitoring.pagerduty.routingKeyFile,
        send_resolved: true,
        severity: 'critical',
        description: '{{ .CommonAnnotations.summary }}',
        links: [
          { href: '{{ .CommonAnnotations.runbook_url }}', text: 'Runbook' },
          { href: '{{ .CommonAnnotations.dashboard_url }}', text: 'Dashboard' },
        ],
      },
    ],
  };
}

/**
 * Without incident, alerts route on `severity` (page/ticket). With it, on the incident severity
 * first (`incident_severity=~"SEV1|SEV2"` → paging receiver, the others → tickets), as
 * docs/incident/severities.md says; the `severity` routes stay after them for alerts that carry
 * no incident severity (rules the team writes by hand).
 */
export function alertmanagerConfig(spec: Spec, routing?: AlertRouting): Record<string, unknown> {
  const teamRoutes = () => teams(spec).map((team) => ({ matchers: [`team="${team}"`], receiver: teamReceiver(team) }));
  const page = pageReceiver(routing);
  const pageRoute = (matcher: string) => ({ matchers: [matcher], receiver: page, group_wait: '10s', repeat_interval: '1h' });
  const ticketRoute = (matcher: string) => {
    const sub = teamRoutes();
    return { matchers: [matcher], receiver: RECEIVERS.ticket, repeat_interval: '12h', ...(sub.length > 0 ? { routes: sub } : {}) };
  };
  const sevPage = routing ? levelMatcher(routing, 'page') : undefined;
  const sevTicket = routing ? levelMatcher(routing, 'ticket') : undefined;
  return {
    route: {
      receiver: RECEIVERS.default,
      group_by: ['alertname', 'service', 'slo'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        // kube-prometheus-stack's Watchdog always fires while Prometheus, its rules and
        // Alertmanager work: posting it to a heartbeat check turns it into a dead man's switch
        // (the check alerts when the posts stop). Re-posted every HEARTBEAT_REPEAT_INTERVAL.
        {
          matchers: ['alertname="Watchdog"'],
          receiver: RECEIVERS.heartbeat,
          group_wait: '0s',
          group_interval: '1m',
          repeat_interval: HEARTBEAT_REPEAT_INTERVAL,
        },
        // InfoInhibitor only exists to mute info alerts (inhibit_rules below); nobody reads it.
        { matchers: ['alertname="InfoInhibitor"'], receiver: RECEIVERS.silent },
        ...(sevPage ? [pageRoute(sevPage)] : []),
        ...(sevTicket ? [ticketRoute(sevTicket)] : []),
        pageRoute('severity="page"'),
        ticketRoute('severity="ticket"'),
      ],
    },
    receivers: [
      slackReceiver(spec, RECEIVERS.default, spec.monitoring.slack.defaultChannel),
      pagingReceiver(spec, routing),
      slackReceiver(spec, RECEIVERS.ticket, spec.monitoring.slack.defaultChannel),
      ...teams(spec).map((team) => slackReceiver(spec, teamReceiver(team), teamChannel(team))),
      {
        name: RECEIVERS.heartbeat,
        // url_file: Alertmanager 0.26+ (prometheus/alertmanager#3223); the chart runs 0.28.
        // Resolved notifications would be noise: Watchdog only resolves when all is broken.
        webhook_configs: [{ url_file: spec.monitoring.heartbeat.urlFile, send_resolved: false }],
      },
      { name: RECEIVERS.silent },
    ],
    inhibit_rules: [
      {
        // A page already has someone on it: mute the ticket for the same SLO. `equal` keeps the
        // inhibition to that service+SLO (without it, any page would mute every ticket).
        source_matchers: ['severity="page"'],
        target_matchers: ['severity="ticket"'],
        equal: ['service', 'slo'],
      },
      ...CHART_INHIBIT_RULES.map((r) => structuredClone(r)),
    ],
  };
}

/** Label sets and the receiver each must reach: used by the tests and the CI job (amtool). */
export function routeExpectations(spec: Spec, routing?: AlertRouting): { labels: Record<string, string>; receiver: string }[] {
  const svc = spec.services[0]!;
  const page = pageReceiver(routing);
  const out: { labels: Record<string, string>; receiver: string }[] = [
    { labels: { severity: 'page', service: svc.name, slo: 'availability' }, receiver: page },
    { labels: { severity: 'ticket', service: svc.name, slo: 'availability' }, receiver: RECEIVERS.ticket },
    { labels: { alertname: sliMissingAlertName(svc), severity: 'ticket', service: svc.name }, receiver: RECEIVERS.ticket },
    { labels: { alertname: 'KubePodCrashLooping', severity: 'warning' }, receiver: RECEIVERS.default },
    { labels: { alertname: 'Watchdog', severity: 'none' }, receiver: RECEIVERS.heartbeat },
    { labels: { alertname: 'InfoInhibitor', severity: 'none' }, receiver: RECEIVERS.silent },
  ];
  for (const team of teams(spec)) {
    const owned = spec.services.find((s) => s.team === team)!;
    out.push({ labels: { severity: 'ticket', service: owned.name, slo: 'availability', team }, receiver: teamReceiver(team) });
    out.push({ labels: { severity: 'page', service: owned.name, slo: 'availability', team }, receiver: page });
  }
  // Incident severities route by name alone (no `severity` label): each level reaches the
  // receiver the severity matrix gives it, a team's ticket its channel.
  for (const level of routing?.levels ?? []) {
    const paged = level.routing === 'page';
    out.push({ labels: { [routing!.label]: level.name, service: svc.name }, receiver: paged ? page : RECEIVERS.ticket });
    const team = teams(spec)[0];
    if (team && !paged) out.push({ labels: { [routing!.label]: level.name, service: svc.name, team }, receiver: teamReceiver(team) });
  }
  return out;
}
