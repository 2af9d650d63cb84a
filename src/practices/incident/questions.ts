import type { Question } from '../types.js';

export const onCallToolQuestion: Question = {
  id: 'onCallTool',
  flag: '--on-call-tool <tool>',
  description: 'where the on-call rotation lives: pagerduty, opsgenie or none',
  message: 'On-call paging tool',
  kind: 'select',
  choices: [
    { value: 'pagerduty', name: 'PagerDuty' },
    { value: 'opsgenie', name: 'Opsgenie' },
    { value: 'none', name: 'None (Alertmanager receivers only)' },
  ],
  current: (spec) => spec.incident.onCall.tool,
  default: () => 'pagerduty',
  validate: (v) => (['pagerduty', 'opsgenie', 'none'].includes(v) ? undefined : 'use pagerduty, opsgenie or none'),
  apply: (_spec, value) => [{ path: ['incident', 'onCall', 'tool'], value: String(value) }],
};

export const drillCadenceQuestion: Question = {
  id: 'drillCadence',
  flag: '--drill-cadence <cadence>',
  description: 'how often a failover drill issue opens: quarterly, monthly or none',
  message: 'Failover drill cadence',
  kind: 'select',
  choices: [
    { value: 'quarterly', name: 'Quarterly (the handbook\'s advice)' },
    { value: 'monthly', name: 'Monthly' },
    { value: 'none', name: 'None' },
  ],
  current: (spec) => spec.incident.drills.cadence,
  default: () => 'quarterly',
  validate: (v) => (['quarterly', 'monthly', 'none'].includes(v) ? undefined : 'use quarterly, monthly or none'),
  apply: (_spec, value) => [{ path: ['incident', 'drills', 'cadence'], value: String(value) }],
};

export const postmortemDaysQuestion: Question = {
  id: 'postmortemDays',
  flag: '--postmortem-days <days>',
  description: 'business days after an incident closes by which its postmortem is due (handbook: 5)',
  message: 'Postmortem due within how many business days?',
  kind: 'input',
  current: (spec) => String(spec.incident.postmortemBusinessDays),
  default: () => '5',
  validate: (v) => (/^[1-9]\d?$/.test(v) && Number(v) <= 30 ? undefined : 'use a whole number of business days from 1 to 30, e.g. 5'),
  apply: (_spec, value) => [{ path: ['incident', 'postmortemBusinessDays'], value: Number(value) }],
};

export const escalationContactQuestion: Question = {
  id: 'escalationContact',
  flag: '--escalation-contact <contact>',
  description: 'how to reach the primary on-call (schedule URL, phone); the other contacts stay placeholders in devops.yaml',
  message: 'Primary on-call contact (leave the placeholder to fill in later)',
  kind: 'input',
  current: (spec) => spec.incident.escalation[0]?.contact,
  default: (spec) => spec.incident.escalation[0]?.contact ?? '<FILL: primary on-call>',
  validate: (v) => (/^[^\n\r\x00]+$/.test(v) ? undefined : 'use one line of text'),
  apply: (spec, value) => [{ path: ['incident', 'escalation'], value: spec.incident.escalation.map((c, i) => (i === 0 ? { ...c, contact: String(value) } : c)) }],
};
