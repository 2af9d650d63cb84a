import { posix } from 'node:path';
import type { EnsureLabels, IncidentLabels, Model } from '../../model/types.js';
import type { Spec } from '../../spec/types.js';
import type { Practice } from '../types.js';
import { incidentConfig, PLACEHOLDER } from './config.js';
import { devopsReadmeData } from './devops-readme.js';
import { drillBody } from './drill.js';
import { incidentForm, incidentLabelDefinitions, postmortemForm } from './forms.js';
import { drillRehearsal, rehearsalScript } from './rehearsal.js';
import { incidentHandbook } from './handbook.js';
import { drillCadenceQuestion, escalationContactQuestion, onCallToolQuestion, postmortemDaysQuestion } from './questions.js';
import { RUNBOOK_DIR, RUNBOOK_INDEX, runbookData, runbookPath, severityOf } from './runbooks.js';
import { drillCron, GITHUB_DRILL_JS, GITHUB_REMINDER_JS, GITLAB_DRILL_JS, GITLAB_REMINDER_JS, githubEnsureLabelsJs, gitlabEnsureLabelsJs, REMINDER_CRON } from './scripts.js';

export const INCIDENT_DIR = 'docs/incident';
/** The alert label carrying the incident severity (SEV1 … SEV4) every generated alert maps to; Alertmanager routes on it. */
export const SEVERITY_LABEL = 'incident_severity';
export const LABELS: IncidentLabels = { incident: 'incident', postmortem: 'postmortem', overdue: 'postmortem-overdue', drill: 'drill' };
/** Node image of the GitLab scheduled jobs (the same Node the CLI's own check job uses). */
const NODE_IMAGE = 'node:22.23.2-alpine';
const TOKEN_VARIABLE = 'INCIDENT_BOT_TOKEN';

const PAGING: Record<Spec['incident']['onCall']['tool'], { name: string; note: string }> = {
  pagerduty: { name: 'PagerDuty', note: 'Alertmanager sends `page` alerts to PagerDuty (the monitoring practice\'s receiver): the schedule and escalation policy live there.' },
  opsgenie: { name: 'Opsgenie', note: 'Alertmanager sends page-worthy severities to Opsgenie (the `opsgenie` receiver, API key read from the file `monitoring.opsgenie.apiKeyFile` names, a mounted Secret): the schedule and escalation policy live there. The worst severity is Opsgenie priority P1, the other paging ones P2.' },
  none: { name: 'none', note: 'No paging tool: page-worthy severities go to the Slack receiver `slack-pages` (the default channel) only, so agree on who watches it around the clock.' },
};

const rel = (from: string, to: string) => posix.relative(posix.dirname(from), to) || '.';

function response(minutes: number): string {
  return minutes % 1440 === 0 ? `${minutes / 1440} day${minutes === 1440 ? '' : 's'}` : minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

/**
 * Incident response: a runbook per alert (seeded, at the path each runbook_url names) and their
 * managed index, the severity matrix, on-call, commander checklist and postmortem template,
 * issue forms or templates, the postmortem clock and the failover drill as scheduled pipelines.
 * Reads `alerting`, `services`, `workloads`, `namespaces`; imports no practice.
 */
function contribute(spec: Spec, model: Model): void {
  const cfg = spec.incident;
  const gitlab = spec.ci.provider === 'gitlab';
  const alerts = model.alerting?.alerts ?? [];
  // In markdown a bare URL is not a link (markdownlint MD034): a contact that is one URL becomes an autolink.
  const escalation = cfg.escalation.map((c) => ({ role: c.role, contact: /^https?:\/\/\S+$/.test(c.contact) ? `<${c.contact}>` : c.contact }));
  const ctx = { model, severities: cfg.severities, escalation };
  // Every generated alert carries its incident severity, and Alertmanager routes on it (monitoring
  // reads both lazily): the names in docs/incident/severities.md are the ones on the pages.
  if (model.alerting) {
    model.alerting.routing = { owner: 'incident', label: SEVERITY_LABEL, levels: cfg.severities.map((s) => ({ name: s.name, routing: s.routing })), pagingTool: cfg.onCall.tool };
    for (const alert of alerts) alert.labels = { ...alert.labels, [SEVERITY_LABEL]: severityOf(alert, cfg.severities).name };
  }
  const runbooks: { alert: string; service: string; severity: string; sev: string; file: string }[] = [];
  const external: { alert: string; url: string }[] = [];
  for (const alert of alerts) {
    const path = runbookPath(model, alert.runbookUrl);
    if (!path) {
      external.push({ alert: alert.name, url: alert.runbookUrl });
      continue;
    }
    runbooks.push({ alert: alert.name, service: alert.service, severity: alert.severity, sev: severityOf(alert, cfg.severities).name, file: rel(RUNBOOK_INDEX, path) });
    model.files.push({
      owner: 'incident',
      path,
      template: 'incident/runbook.md.hbs',
      data: () => ({ ...runbookData(ctx, alert), incidentDir: rel(path, INCIDENT_DIR) }),
      ownership: 'seeded',
      required: true,
    });
  }
  model.files.push({ owner: 'incident', path: RUNBOOK_INDEX, template: 'incident/runbooks-index.md.hbs', data: { runbooks, external, incidentDir: rel(RUNBOOK_INDEX, INCIDENT_DIR) }, ownership: 'managed' });
  if (external.length) {
    model.warnings.push({ owner: 'incident', text: `${external.length} alert(s) link runbooks outside this repository (monitoring.runbookBaseUrl), so no runbook was seeded for them: ${external.map((e) => e.alert).join(', ')}.` });
  }

  const severities = cfg.severities.map((s) => ({ ...s, response: response(s.responseMinutes) }));
  const definitions = incidentLabelDefinitions(LABELS, cfg.severities, cfg.postmortemBusinessDays);
  const sevFor = (severity: 'page' | 'ticket', slo: string | undefined) => severityOf({ name: '', service: '', severity, expr: '', runbookUrl: '', dashboardUrl: '', summary: '', ...(slo ? { slo } : {}) }, cfg.severities).name;
  const rehearsalOf = () => model.pipelines.flatMap((p) => (p.kind === 'incident-drill' && p.rehearsal ? [p.rehearsal] : []))[0];
  const paging = PAGING[cfg.onCall.tool];
  const placeholders = cfg.escalation.some((c) => c.contact.includes(PLACEHOLDER));
  const examples = cfg.severities.map((s) => {
    const alert = alerts.find((a) => severityOf(a, cfg.severities).name === s.name);
    const path = alert ? runbookPath(model, alert.runbookUrl) : undefined;
    return {
      sev: s.name,
      text: alert ? `${alert.summary}.` : s.name === cfg.severities[0]!.name ? `${spec.services.map((x) => x.name).join(', ')} down for every user, or data lost.` : s.description,
      alert: alert?.name ?? null,
      runbook: path ? rel(`${INCIDENT_DIR}/severities.md`, path) : alert?.runbookUrl ?? null,
    };
  });
  const common = { severities, postmortemDays: cfg.postmortemBusinessDays, pagingTool: paging.name, pagingNote: paging.note, github: !gitlab, runbookIndex: rel(`${INCIDENT_DIR}/x.md`, RUNBOOK_INDEX) };
  model.files.push(
    { owner: 'incident', path: `${INCIDENT_DIR}/severities.md`, template: 'incident/severities.md.hbs', data: { ...common, examples, labels: LABELS, sevNames: cfg.severities.map((s) => `\`${s.name}\``).join(', '), labelDefinitions: definitions }, ownership: 'managed' },
    {
      owner: 'incident',
      path: `${INCIDENT_DIR}/on-call.md`,
      template: 'incident/on-call.md.hbs',
      data: () => ({ ...common, rotation: cfg.onCall.rotation, escalation, placeholders, severityLabel: SEVERITY_LABEL, pageSev: sevFor('page', 'x'), ticketSev: sevFor('ticket', 'x'), blindSev: sevFor('ticket', undefined), rehearsal: rehearsalOf() ?? null }),
      ownership: 'managed',
    },
    { owner: 'incident', path: `${INCIDENT_DIR}/commander-checklist.md`, template: 'incident/commander-checklist.md.hbs', data: { ...common, postmortemLevels: cfg.severities.filter((s) => s.postmortem).map((s) => s.name).join(' and ') || 'incidents that need one' }, ownership: 'seeded' },
    {
      owner: 'incident',
      path: `${INCIDENT_DIR}/postmortem-template.md`,
      template: 'incident/postmortem-template.md.hbs',
      data: { postmortemDays: cfg.postmortemBusinessDays, severityNames: cfg.severities.map((s) => s.name).join(' / '), periodDays: 30, slos: spec.services.flatMap((s) => s.slos.map((o) => ({ service: s.name, name: o.name }))) },
      ownership: 'seeded',
    },
  );
  if (placeholders) {
    model.warnings.push({ owner: 'incident', text: 'incident.escalation in devops.yaml still holds <FILL: …> placeholders: replace them with real contacts (docs/incident/on-call.md lists them), then run `devops-init sync`.' });
  }

  model.files.push({ owner: 'incident', path: 'docs/devops/README.md', template: 'incident/devops-readme.md.hbs', data: () => devopsReadmeData(model), ownership: 'managed' });

  const services = spec.services.map((s) => s.name);
  if (gitlab) {
    model.files.push(
      { owner: 'incident', path: '.gitlab/issue_templates/Incident.md', template: 'incident/gitlab-incident.md.hbs', data: { severities: cfg.severities, services: services.join(', '), labels: LABELS }, ownership: 'managed' },
      { owner: 'incident', path: '.gitlab/issue_templates/Postmortem.md', template: 'incident/gitlab-postmortem.md.hbs', data: { days: cfg.postmortemBusinessDays, labels: LABELS }, ownership: 'managed' },
    );
  } else {
    const yamlFile = (path: string, value: Record<string, unknown>) => ({ owner: 'incident' as const, path, template: 'kustomize/value.yaml.hbs', data: { value }, ownership: 'managed' as const });
    model.files.push(
      yamlFile('.github/ISSUE_TEMPLATE/incident.yml', incidentForm(cfg.severities, services, LABELS, (alerts.find((a) => a.severity === 'page') ?? alerts[0])?.name)),
      yamlFile('.github/ISSUE_TEMPLATE/postmortem.yml', postmortemForm(LABELS, cfg.postmortemBusinessDays)),
    );
  }

  // The scheduled jobs run in CI: without the ci practice's pipelines there is nothing to host them on GitLab.
  // Both create the labels everything above names before doing anything else (forms and quick actions
  // never create a label, so without this step the reminder would find no incident at all).
  const ensureLabels: EnsureLabels = { definitions, githubScript: githubEnsureLabelsJs(definitions), gitlabScriptPath: '.gitlab/incident/labels.mjs' };
  if (gitlab) model.files.push({ owner: 'incident', path: ensureLabels.gitlabScriptPath, template: 'incident/text.hbs', data: { text: gitlabEnsureLabelsJs(definitions) }, ownership: 'managed' });
  const reminderScript = '.gitlab/incident/postmortem-reminder.mjs';
  model.pipelines.push({
    kind: 'incident-postmortems',
    id: 'incident-postmortems',
    owner: 'incident',
    schedule: REMINDER_CRON,
    businessDays: cfg.postmortemBusinessDays,
    labels: LABELS,
    ensureLabels,
    githubScript: GITHUB_REMINDER_JS,
    gitlab: { scriptPath: reminderScript, tokenVariable: TOKEN_VARIABLE, image: NODE_IMAGE },
  });
  if (gitlab) model.files.push({ owner: 'incident', path: reminderScript, template: 'incident/text.hbs', data: { text: GITLAB_REMINDER_JS }, ownership: 'managed' });

  if (cfg.drills.cadence !== 'none') {
    const rehearsal = drillRehearsal(model, !gitlab, cfg.drills.environment);
    const body = drillBody(model, cfg.drills.environment, cfg.drills.cadence, rehearsal && (gitlab ? 'run a pipeline by hand with `INCIDENT_TASK=rehearse` and `DRILL_SERVICE=<service>`' : 'run the incident-drill workflow by hand with a service to rehearse'));
    const drillScript = '.gitlab/incident/drill.mjs';
    const bodyPath = '.gitlab/incident/drill.md';
    model.pipelines.push({
      kind: 'incident-drill',
      id: 'incident-drill',
      owner: 'incident',
      schedule: drillCron(cfg.drills.cadence),
      cadence: cfg.drills.cadence,
      environment: cfg.drills.environment,
      labels: LABELS,
      ensureLabels,
      body,
      githubScript: GITHUB_DRILL_JS,
      gitlab: { scriptPath: drillScript, bodyPath, tokenVariable: TOKEN_VARIABLE, image: NODE_IMAGE },
      ...(rehearsal ? { rehearsal } : {}),
    });
    if (rehearsal) {
      const dashboards = Object.fromEntries(alerts.map((a) => [a.service, a.dashboardUrl]));
      model.files.push({ owner: 'incident', path: rehearsal.scriptPath, template: 'incident/text.hbs', data: { text: rehearsalScript(rehearsal, dashboards) }, ownership: 'managed' });
    }
    if (gitlab) {
      model.files.push(
        { owner: 'incident', path: drillScript, template: 'incident/text.hbs', data: { text: GITLAB_DRILL_JS }, ownership: 'managed' },
        { owner: 'incident', path: bodyPath, template: 'incident/text.hbs', data: { text: body }, ownership: 'managed' },
      );
    }
  }
}

export const incidentPractice: Practice = {
  id: 'incident',
  title: 'Incident response (runbooks, severities, on-call, postmortems, failover drills)',
  handbook: incidentHandbook,
  config: incidentConfig,
  // Escalation contacts and the paging tool are answers no default can give: init --yes leaves it out.
  optIn: true,
  questions: [onCallToolQuestion, escalationContactQuestion, postmortemDaysQuestion, drillCadenceQuestion],
  contribute,
};

export { RUNBOOK_DIR };
