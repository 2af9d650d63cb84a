import type { IncidentLabels, LabelDefinition } from '../../model/types.js';
import type { SeverityLevel } from './config.js';

type Obj = Record<string, unknown>;

/** Colours of the SEV labels, worst first (GitHub's red, orange, yellow, green); further levels grey. */
const SEV_COLORS = ['b60205', 'd93f0b', 'fbca04', '0e8a16'];

/**
 * Every label the forms, issue templates and docs/incident/severities.md name. Forms and quick
 * actions only apply labels that exist, so the scheduled jobs create these first. Descriptions
 * are fixed text (GitHub allows 100 characters), never devops.yaml's free text.
 */
export function incidentLabelDefinitions(labels: IncidentLabels, severities: SeverityLevel[], days: number): LabelDefinition[] {
  return [
    { name: labels.incident, color: 'b60205', description: 'An incident record: one issue per incident (docs/incident/severities.md).' },
    ...severities.map((s, i) => ({ name: s.name, color: SEV_COLORS[i] ?? 'c5def5', description: `Severity ${s.name}, routed as ${s.routing} (docs/incident/severities.md).` })),
    { name: labels.postmortem, color: '5319e7', description: 'A blameless postmortem; its "Incident issue" section links the incident.' },
    { name: labels.overdue, color: 'e99695', description: `Closed over ${days} business days ago with no postmortem (set by the reminder).` },
    { name: labels.drill, color: '1d76db', description: 'A failover drill, opened on schedule.' },
  ];
}

/**
 * GitHub issue form for declaring an incident. `exampleAlert` is a real alert of this repository
 * (a page alert when there is one), or undefined for a neutral hint.
 */
export function incidentForm(severities: SeverityLevel[], services: string[], labels: IncidentLabels, exampleAlert?: string): Obj {
  return {
    name: 'Incident',
    description: 'Declare an incident: one issue per incident, kept open until users are no longer affected.',
    title: '[Incident] ',
    labels: [labels.incident],
    body: [
      { type: 'markdown', attributes: { value: 'Mitigate first (see the alert\'s runbook under docs/runbooks/), then fill this in. Severities: docs/incident/severities.md. After choosing the severity, add its label (' + severities.map((s) => s.name).join(', ') + ').' } },
      { type: 'dropdown', id: 'severity', attributes: { label: 'Severity', options: severities.map((s) => `${s.name}: ${s.description}`) }, validations: { required: true } },
      { type: 'dropdown', id: 'services', attributes: { label: 'Affected services', multiple: true, options: [...services, 'other / unknown'] }, validations: { required: true } },
      { type: 'input', id: 'started', attributes: { label: 'Started at (UTC)', placeholder: 'YYYY-MM-DD HH:MM' }, validations: { required: true } },
      { type: 'textarea', id: 'impact', attributes: { label: 'User impact', description: 'What users see, how many, since when.' }, validations: { required: true } },
      { type: 'input', id: 'alert', attributes: { label: 'Alert that fired (if any)', placeholder: exampleAlert ? `e.g. ${exampleAlert}` : 'the alertname of the page or message' }, validations: { required: false } },
      { type: 'input', id: 'commander', attributes: { label: 'Incident commander', placeholder: '@handle' }, validations: { required: true } },
      { type: 'textarea', id: 'timeline', attributes: { label: 'Timeline (UTC)', description: 'The scribe keeps it here; it seeds the postmortem.', value: '- HH:MM ' }, validations: { required: false } },
    ],
  };
}

/** GitHub issue form for a postmortem; it links the incident by number, which the reminder reads. */
export function postmortemForm(labels: IncidentLabels, days: number): Obj {
  return {
    name: 'Postmortem',
    description: `Blameless postmortem of an incident, due within ${days} business days of closing it.`,
    title: '[Postmortem] ',
    labels: [labels.postmortem],
    body: [
      { type: 'markdown', attributes: { value: 'Blameless: describe what the system and the process allowed, not who erred. The full template is docs/incident/postmortem-template.md.' } },
      { type: 'input', id: 'incident', attributes: { label: 'Incident issue', description: 'The incident this is about, as #<number>: the postmortem reminder reads only this field.', placeholder: '#123' }, validations: { required: true } },
      { type: 'textarea', id: 'summary', attributes: { label: 'Summary' }, validations: { required: true } },
      { type: 'textarea', id: 'impact', attributes: { label: 'Impact', description: 'Users affected, duration (UTC), error budget burned per SLO.' }, validations: { required: true } },
      { type: 'textarea', id: 'timeline', attributes: { label: 'Timeline (UTC)' }, validations: { required: true } },
      { type: 'textarea', id: 'factors', attributes: { label: 'Contributing factors' }, validations: { required: true } },
      { type: 'textarea', id: 'detection', attributes: { label: 'Detection', description: 'How we found out; did the right alert fire with a useful runbook?' }, validations: { required: true } },
      { type: 'textarea', id: 'resolution', attributes: { label: 'Resolution' }, validations: { required: true } },
      { type: 'textarea', id: 'well', attributes: { label: 'What went well' }, validations: { required: false } },
      { type: 'textarea', id: 'badly', attributes: { label: 'What went badly' }, validations: { required: false } },
      { type: 'textarea', id: 'lucky', attributes: { label: 'Where we got lucky' }, validations: { required: false } },
      { type: 'textarea', id: 'actions', attributes: { label: 'Action items', description: 'One per line, with an owner and an issue link.', value: '- [ ] action — owner — #issue' }, validations: { required: true } },
    ],
  };
}
