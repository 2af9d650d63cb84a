import type { ObjectSchemaFor, PracticeConfig } from '../../spec/config.js';
import type { SchemaIssue, SchemaNode } from '../../spec/validate-schema.js';
import type { Language, Spec } from '../../spec/types.js';

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

/**
 * Default container resources per language (requests; memory limit). No CPU limit anywhere (a
 * CFS quota throttles even on an idle node); memory is not compressible, so it has a limit.
 *
 * - JVM (java): 768Mi requested, 1Gi limit, and the pod caps the heap at 50% of the limit
 *   (512Mi; the gitops workload sets -XX:MaxRAMPercentage=50 through JDK_JAVA_OPTIONS). The rest is what a JVM with the OpenTelemetry agent uses
 *   outside the heap: metaspace for the framework's and the agent's classes (commonly 100–200Mi
 *   together), the JIT code cache (up to 240Mi reserved, typically 50–100Mi used), a stack per
 *   thread (about 1Mi each), GC structures and direct buffers. With the old 256Mi limit and the
 *   image's MaxRAMPercentage=75 the heap alone could take 192Mi, leaving 64Mi for all of that:
 *   an OOM kill under load. 250m CPU requested: class loading and the JIT need it at start-up.
 * - node, python, go: 128Mi requested, 256Mi limit, 100m CPU. A Node or Python process with
 *   zero-code OpenTelemetry loaded typically stays around 100–150Mi; a Go binary far below.
 *   These are starting points, not measurements of your service: look at the pods' real use
 *   after the first deploy and set `services[].deploy.resources` from it.
 */
export function defaultResources(language: Language | undefined): ServiceDeploy['resources'] {
  if (language === 'java') return { cpu: '250m', memory: '768Mi', memoryLimit: '1Gi' };
  return { cpu: '100m', memory: '128Mi', memoryLimit: '256Mi' };
}

export function defaultDeploy(language?: Language): ServiceDeploy {
  return {
    strategy: 'rolling',
    featureFlags: false,
    replicas: { staging: { min: 1, max: 3 }, production: { min: 3, max: 10 } },
    resources: defaultResources(language),
  };
}

function validate(spec: Spec): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  spec.services.forEach((s, i) => {
    for (const env of ['staging', 'production'] as const) {
      const r = s.deploy.replicas[env];
      if (r.min > r.max) issues.push({ path: ['services', i, 'deploy', 'replicas', env], message: `replicas.${env}.min (${r.min}) is above max (${r.max})`, fix: 'make min ≤ max' });
    }
    // Canary and blue/green shift requests and judge them by request SLOs: only services that
    // serve requests have either. Refused rather than silently rolled: the spec would lie.
    const serves = s.kind === 'web' || s.kind === 'grpc';
    if (!serves && s.deploy.strategy !== 'rolling') {
      issues.push({
        path: ['services', i, 'deploy', 'strategy'],
        message: `${s.name} is a ${s.kind}: ${s.deploy.strategy} shifts traffic and judges request SLOs, and a ${s.kind} serves no requests`,
        fix: 'use strategy: rolling (or remove deploy.strategy), or set kind: web or grpc if it serves requests',
      });
    }
    // An adopted chart or tree is the team's: devops-init does not rewrite its workload.
    if (s.manifests && (s.deploy.strategy !== 'rolling' || s.deploy.featureFlags)) {
      issues.push({
        path: ['services', i, 'deploy'],
        message: `${s.name} deploys its own ${s.manifests.kind === 'helm' ? 'Helm chart' : 'manifests'} (manifests.path ${s.manifests.path}); devops-init cannot turn it into a Rollout or add flagd`,
        fix: 'remove deploy.strategy and deploy.featureFlags for this service, or remove manifests to let devops-init generate its workload',
      });
    }
    // flagd runs beside the app for the pod's lifetime: a Job's pod would never complete.
    if ((s.kind === 'job' || s.kind === 'cronjob') && s.deploy.featureFlags) {
      issues.push({ path: ['services', i, 'deploy', 'featureFlags'], message: `${s.name} is a ${s.kind}: a flagd sidecar would keep its pod from completing`, fix: 'remove deploy.featureFlags for this service' });
    }
  });
  return issues;
}

export const deployConfig: PracticeConfig = {
  practice: 'deploy',
  requires: ['gitops'],
  after: ['observability', 'monitoring', 'logging'],
  service: { schema: { deploy: schema as SchemaNode }, defaults: (raw) => ({ deploy: defaultDeploy(raw['language'] as Language | undefined) }) },
  validate,
};
