import { preStopSleep } from '../../model/pod.js';
import type { Service } from '../../spec/types.js';

/**
 * flagd beside each service that uses feature flags: a sidecar reading the flag file
 * from a ConfigMap, so flipping a flag is a Git change Argo CD syncs, with no redeploy.
 */

/** Pinned by version tag (flagd publishes immutable release tags); bump deliberately. */
export const FLAGD_IMAGE = 'ghcr.io/open-feature/flagd:v0.16.1';
/** Evaluation API (gRPC/Connect) the OpenFeature providers talk to. */
export const FLAGD_PORT = 8013;
/** Health, readiness and metrics. */
export const FLAGD_MANAGEMENT_PORT = 8014;
export const FLAGS_MOUNT = '/etc/flagd';
export const FLAGS_FILE = 'flags.flagd.json';

export const flagsConfigMapName = (svc: Service): string => `${svc.name}-flags`;
/** The seeded example flag. */
export const exampleFlagKey = (svc: Service): string => `new-${svc.name}-experience`;

const restricted = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

export function flagdContainer(): Record<string, unknown> {
  return {
    name: 'flagd',
    image: FLAGD_IMAGE,
    imagePullPolicy: 'IfNotPresent',
    args: [
      'start',
      '--uri',
      `file:${FLAGS_MOUNT}/${FLAGS_FILE}`,
      '--port',
      String(FLAGD_PORT),
      '--management-port',
      String(FLAGD_MANAGEMENT_PORT),
    ],
    ports: [
      { name: 'flagd', containerPort: FLAGD_PORT, protocol: 'TCP' },
      { name: 'flagd-mgmt', containerPort: FLAGD_MANAGEMENT_PORT, protocol: 'TCP' },
    ],
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
    readinessProbe: { httpGet: { path: '/readyz', port: 'flagd-mgmt' }, periodSeconds: 5 },
    livenessProbe: { httpGet: { path: '/healthz', port: 'flagd-mgmt' }, periodSeconds: 10 },
    securityContext: restricted,
    // Keeps answering while the pod is taken out of the endpoints, like the app (src/model/pod.ts).
    lifecycle: preStopSleep(),
    volumeMounts: [{ name: 'flags', mountPath: FLAGS_MOUNT, readOnly: true }],
  };
}

export function flagsVolume(svc: Service): Record<string, unknown> {
  return { name: 'flags', configMap: { name: flagsConfigMapName(svc) } };
}

/** What the application's OpenFeature flagd provider reads. */
export function flagdClientEnv(): { name: string; value: string }[] {
  return [
    { name: 'FLAGD_HOST', value: 'localhost' },
    { name: 'FLAGD_PORT', value: String(FLAGD_PORT) },
    { name: 'FLAGD_RESOLVER', value: 'rpc' },
  ];
}

/**
 * The seeded flag file (one per overlay): one example flag, DISABLED, so every caller gets its
 * code default (flagd treats a disabled flag as missing) until someone turns it on in one
 * environment. Once ENABLED, it turns on for a stable 10% of users; requests without a
 * targeting key get "off" (bucketing an anonymous request would put every anonymous caller in
 * one bucket). The team owns these files after the first render.
 */
export function flagsDocument(svc: Service): Record<string, unknown> {
  return {
    $schema: 'https://flagd.dev/schema/v0/flags.json',
    flags: {
      [exampleFlagKey(svc)]: {
        state: 'DISABLED',
        variants: { on: true, off: false },
        defaultVariant: 'off',
        targeting: {
          if: [{ var: 'targetingKey' }, { fractional: [['on', 10], ['off', 90]] }, 'off'],
        },
      },
    },
  };
}
