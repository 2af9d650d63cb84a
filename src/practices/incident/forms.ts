import type { IncidentLabels } from '../../model/types.js';
import type { SeverityLevel } from './config.js';

type Obj = Record<string, unknown>;

/** GitHub issue form for declaring an incident. */
export function incidentForm(severities: SeverityLevel[], services: string[], labels: IncidentLabels): Obj {
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
      { type: 'input', id: 'alert', attributes: { label: 'Alert that fired (if any)', placeholder: 'e.g. ApiAvailabilityBudgetBurnPage' }, validations: { required: false } },
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
      { type: 'input', id: 'incident', attributes: { label: 'Incident issue', description: 'The incident this is about, as #<number>: the postmortem reminder looks for it.', placeholder: '#123' }, validations: { required: true } },
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
