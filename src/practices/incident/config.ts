import type { ObjectSchemaFor, PracticeConfig } from '../../spec/config.js';
import { SAFE_TEXT, str } from '../../spec/patterns.js';
import type { SchemaIssue, SchemaNode } from '../../spec/validate-schema.js';
import type { Spec } from '../../spec/types.js';

/** One severity level: what it means, how it reaches people, how fast someone responds. */
export interface SeverityLevel {
  /** SEV1 … SEV4. */
  name: string;
  /** What makes an incident this severe, in user terms. */
  description: string;
  /** The Alertmanager severity label that routes it: `page` (PagerDuty/Opsgenie) or `ticket` (Slack, working hours). */
  routing: 'page' | 'ticket';
  /** Minutes until someone acknowledges and starts working on it. */
  responseMinutes: number;
  /** Whether a blameless postmortem is required. */
  postmortem: boolean;
}

export interface EscalationContact {
  /** Who this is in the escalation chain, e.g. "secondary on-call". */
  role: string;
  /** How to reach them. The defaults are `<FILL: …>` placeholders: sync warns until you replace them. */
  contact: string;
}

export interface IncidentConfig {
  severities: SeverityLevel[];
  onCall: {
    /** The paging tool the on-call rotation lives in. `none`: pages go to the Alertmanager receiver only. */
    tool: 'pagerduty' | 'opsgenie' | 'none';
    /** How often the primary on-call changes hands. */
    rotation: 'daily' | 'weekly';
  };
  /** In order: who is called when the previous one does not acknowledge. */
  escalation: EscalationContact[];
  /** A postmortem is due this many business days (Monday–Friday) after the incident closes. */
  postmortemBusinessDays: number;
  drills: {
    /** How often a failover drill issue is opened. The handbook: practice failover quarterly. */
    cadence: 'quarterly' | 'monthly' | 'none';
    /** Where automated rehearsal steps run. Never production by default. */
    environment: 'staging' | 'production';
  };
}

/** The placeholder marker escalation contacts carry until the team fills them. */
export const PLACEHOLDER = '<FILL:';

export function defaultSeverities(): SeverityLevel[] {
  return [
    { name: 'SEV1', description: 'A user-facing service is down or most requests fail; data loss or a security breach.', routing: 'page', responseMinutes: 5, postmortem: true },
    { name: 'SEV2', description: 'An SLO burns its error budget fast (a page alert): many users see errors or slowness.', routing: 'page', responseMinutes: 15, postmortem: true },
    { name: 'SEV3', description: 'An SLO burns slowly (a ticket alert) or one feature is degraded for some users.', routing: 'ticket', responseMinutes: 240, postmortem: false },
    { name: 'SEV4', description: 'No user impact yet: a blind SLO (missing metrics), a failed drill step, a near miss.', routing: 'ticket', responseMinutes: 1440, postmortem: false },
  ];
}

export function incidentDefaults(): IncidentConfig {
  return {
    severities: defaultSeverities(),
    onCall: { tool: 'pagerduty', rotation: 'weekly' },
    escalation: [
      { role: 'primary on-call', contact: '<FILL: paging schedule or phone of the primary on-call>' },
      { role: 'secondary on-call', contact: '<FILL: paging schedule or phone of the secondary on-call>' },
      { role: 'engineering manager', contact: '<FILL: name and phone of the engineering manager>' },
    ],
    postmortemBusinessDays: 5,
    drills: { cadence: 'quarterly', environment: 'staging' },
  };
}

const severity = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'routing', 'responseMinutes', 'postmortem'],
  properties: {
    name: { type: 'string', pattern: '^SEV[1-9]$', description: 'SEV1 (worst) … SEV4.' },
    description: str({ description: 'What makes an incident this severe, in user terms.' }),
    routing: { enum: ['page', 'ticket'], description: 'The Alertmanager severity label that routes it: page (paging tool) or ticket (Slack).' },
    responseMinutes: { type: 'integer', minimum: 1, description: 'Minutes until someone acknowledges and works on it.' },
    postmortem: { type: 'boolean', description: 'Whether a blameless postmortem is required.' },
  },
} satisfies ObjectSchemaFor<SeverityLevel>;

const contact = {
  type: 'object',
  additionalProperties: false,
  required: ['role', 'contact'],
  properties: {
    role: str({ description: 'Who this is in the escalation chain, e.g. secondary on-call.' }),
    contact: { type: 'string', pattern: SAFE_TEXT, description: 'How to reach them. Replace the <FILL: …> placeholder: sync warns until you do.' },
  },
} satisfies ObjectSchemaFor<EscalationContact>;

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    severities: { type: 'array', minItems: 2, items: severity as SchemaNode, description: 'Severity levels, worst first (SEV1 … SEV4).' },
    onCall: {
      type: 'object',
      additionalProperties: false,
      properties: {
        tool: { enum: ['pagerduty', 'opsgenie', 'none'], description: 'Where the on-call rotation lives.' },
        rotation: { enum: ['daily', 'weekly'], description: 'How often the primary on-call changes hands.' },
      },
    },
    escalation: { type: 'array', minItems: 1, items: contact as SchemaNode, description: 'Escalation chain in order.' },
    postmortemBusinessDays: { type: 'integer', minimum: 1, maximum: 30, description: 'A postmortem is due this many business days after an incident closes (handbook: 5).' },
    drills: {
      type: 'object',
      additionalProperties: false,
      properties: {
        cadence: { enum: ['quarterly', 'monthly', 'none'], description: 'How often a failover drill issue is opened (handbook: quarterly).' },
        environment: { enum: ['staging', 'production'], description: 'Where the automated rehearsal steps point. Production only on purpose.' },
      },
    },
  },
} satisfies ObjectSchemaFor<IncidentConfig>;

/** Severity names must be SEV1, SEV2, … in order, so routes, forms and docs agree. */
function incidentProblems(spec: Spec): SchemaIssue[] {
  const sevs = spec.incident.severities;
  const issues: SchemaIssue[] = [];
  sevs.forEach((s, i) => {
    if (s.name !== `SEV${i + 1}`) {
      issues.push({ path: ['incident', 'severities', i, 'name'], message: `severity ${i + 1} is named ${s.name}`, fix: `name the severities SEV1, SEV2, … worst first (this one SEV${i + 1}), so the issue forms, labels and docs agree` });
    }
  });
  return issues;
}

export const incidentConfig: PracticeConfig = {
  practice: 'incident',
  requires: [],
  after: ['ci', 'gitops', 'deploy', 'observability', 'monitoring', 'logging'],
  section: { key: 'incident', schema: schema as SchemaNode, defaults: incidentDefaults },
  validate: incidentProblems,
};
