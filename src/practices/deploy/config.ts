import type { ObjectSchemaFor, PracticeConfig } from '../../spec/config.js';
import type { SchemaIssue, SchemaNode } from '../../spec/validate-schema.js';
import type { Spec } from '../../spec/types.js';

export const STRATEGIES = ['rolling', 'bluegreen', 'canary'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** How one service is deployed: `services[].deploy`. */
export interface ServiceDeploy {
  strategy: Strategy;
  featureFlags: boolean;
  replicas: { staging: { min: number; max: number }; production: { min: number; max: number } };
  resources: { cpu: string; memory: string; memoryLimit: string };
}

const range: SchemaNode = {
  type: 'object',
  additionalProperties: false,
  required: ['min', 'max'],
  properties: { min: { type: 'integer', minimum: 1 }, max: { type: 'integer', minimum: 1 } },
};

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    strategy: { enum: [...STRATEGIES] },
    featureFlags: { type: 'boolean' },
    replicas: {
      type: 'object',
      additionalProperties: false,
      properties: { staging: range, production: range },
    },
    resources: {
      type: 'object',
      additionalProperties: false,
      properties: {
        cpu: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?m?$' },
        memory: { type: 'string', pattern: '^[0-9]+(Ki|Mi|Gi)$' },
        memoryLimit: { type: 'string', pattern: '^[0-9]+(Ki|Mi|Gi)$' },
      },
    },
  },
} satisfies ObjectSchemaFor<ServiceDeploy>;

export function defaultDeploy(): ServiceDeploy {
  return {
    strategy: 'rolling',
    featureFlags: false,
    replicas: { staging: { min: 1, max: 3 }, production: { min: 3, max: 10 } },
    resources: { cpu: '100m', memory: '128Mi', memoryLimit: '256Mi' },
  };
}

function validate(spec: Spec): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  spec.services.forEach((s, i) => {
    for (const env of ['staging', 'production'] as const) {
      const r = s.deploy.replicas[env];
      if (r.min > r.max) issues.push({ path: ['services', i, 'deploy', 'replicas', env], message: `replicas.${env}.min (${r.min}) is above max (${r.max})`, fix: 'make min ≤ max' });
    }
  });
  return issues;
}

export const deployConfig: PracticeConfig = {
  practice: 'deploy',
  requires: ['gitops'],
  after: ['observability', 'monitoring', 'logging'],
  service: { schema: { deploy: schema as SchemaNode }, defaults: () => ({ deploy: defaultDeploy() }) },
  validate,
};
