import type { Service, Spec } from '../../spec/types.js';
import { imageRepository } from '../shared/image.js';
import { otelEnv, type EnvVar } from '../shared/otel.js';
import { flagdClientEnv, flagdContainer, flagsVolume } from '../deploy/flagd.js';
import { ENVIRONMENT_LABEL, flagsOn, selectorLabels, serviceLabels, usesRollout, type OverlayName } from './model.js';

/**
 * The Kubernetes objects of a service's Kustomize base, built as data. Hardening lives
 * here once and every strategy (Deployment or Rollout) shares the same pod template.
 */

type Obj = Record<string, unknown>;

/** The UID the restricted profile runs every container as (not 0, not the image's choice). */
export const RUN_AS_USER = 10001;

/** Environment variables of the service container. */
export function appEnv(spec: Spec, svc: Service): EnvVar[] {
  const env: EnvVar[] = [];
  if (spec.practices.includes('observability')) {
    // deployment.environment.name comes from the overlay's environment label, so the base
    // stays environment-free and no overlay has to patch an env list by index.
    env.push({ name: 'DEPLOYMENT_ENVIRONMENT', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${ENVIRONMENT_LABEL}']` } } });
    env.push(...otelEnv(spec, svc, '$(DEPLOYMENT_ENVIRONMENT)'));
  }
  if (flagsOn(spec, svc)) env.push(...flagdClientEnv());
  return env;
}

function probe(svc: Service, periodSeconds: number, failureThreshold: number): Obj {
  return { httpGet: { path: svc.healthPath, port: 'http' }, periodSeconds, timeoutSeconds: 2, failureThreshold };
}

export function appContainer(spec: Spec, svc: Service): Obj {
  const env = appEnv(spec, svc);
  const r = svc.deploy.resources;
  return {
    name: svc.name,
    // Bare repository: each overlay's `images` entry pins it (digest or immutable tag).
    image: imageRepository(spec, svc),
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'http', containerPort: svc.port, protocol: 'TCP' }],
    ...(env.length > 0 ? { env } : {}),
    // Memory is not compressible, so it gets a limit; CPU gets none: a CPU limit throttles
    // the process (CFS quota) even on an idle node, which shows up as tail latency.
    resources: { requests: { cpu: r.cpu, memory: r.memory }, limits: { memory: r.memoryLimit } },
    // Startup allows 150 s for a slow boot before liveness starts counting.
    startupProbe: probe(svc, 5, 30),
    readinessProbe: probe(svc, 5, 3),
    livenessProbe: probe(svc, 10, 3),
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

/** The pod template shared by the Deployment and the Rollout. */
export function podTemplate(spec: Spec, svc: Service): Obj {
  const containers = [appContainer(spec, svc), ...(flagsOn(spec, svc) ? [flagdContainer()] : [])];
  const volumes: Obj[] = [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }];
  if (flagsOn(spec, svc)) volumes.push(flagsVolume(svc));
  // Argo Rollouts labels its pods rollouts-pod-template-hash instead of pod-template-hash.
  const hashKey = usesRollout(spec, svc) ? 'rollouts-pod-template-hash' : 'pod-template-hash';
  const spread = (topologyKey: string): Obj => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: selectorLabels(svc) },
    // Spread each revision on its own, so a rollout's new pods are spread too.
    matchLabelKeys: [hashKey],
  });
  return {
    metadata: { labels: serviceLabels(spec, svc) },
    spec: {
      serviceAccountName: svc.name,
      automountServiceAccountToken: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: RUN_AS_USER,
        runAsGroup: RUN_AS_USER,
        fsGroup: RUN_AS_USER,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers,
      volumes,
      topologySpreadConstraints: [spread('topology.kubernetes.io/zone'), spread('kubernetes.io/hostname')],
    },
  };
}

function meta(spec: Spec, svc: Service, name = svc.name, extra: Record<string, string> = {}): Obj {
  return { name, labels: { ...serviceLabels(spec, svc), ...extra } };
}

/**
 * Rolling update: surge 25% and never dip below the current count (maxUnavailable 0),
 * so capacity holds during a deploy. The PDB (maxUnavailable 1) governs voluntary
 * disruptions such as node drains, which the Deployment strategy does not.
 * No `replicas`: the HPA owns the count.
 */
export function deployment(spec: Spec, svc: Service): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(spec, svc),
    spec: {
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(svc) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: podTemplate(spec, svc),
    },
  };
}

export function service(spec: Spec, svc: Service, name = svc.name, extraLabels: Record<string, string> = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(spec, svc, name, extraLabels),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(svc),
      ports: [{ name: 'http', port: svc.port, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

export function serviceAccount(spec: Spec, svc: Service): Obj {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(spec, svc),
    // The app does not call the Kubernetes API; a token it never uses is only a risk.
    automountServiceAccountToken: false,
  };
}

/** The workload the HPA scales: the Deployment, or the Rollout that replaces it. */
export function scaleTarget(spec: Spec, svc: Service): Obj {
  return usesRollout(spec, svc)
    ? { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: svc.name }
    : { apiVersion: 'apps/v1', kind: 'Deployment', name: svc.name };
}

/** Base bounds are production's; overlays patch them per environment. */
export function hpa(spec: Spec, svc: Service): Obj {
  const { min, max } = svc.deploy.replicas.production;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(spec, svc),
    spec: {
      scaleTargetRef: scaleTarget(spec, svc),
      minReplicas: min,
      maxReplicas: max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  };
}

/** maxUnavailable 1 (not minAvailable = replicas), so node drains always make progress. */
export function pdb(spec: Spec, svc: Service): Obj {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(spec, svc),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(svc) } },
  };
}

/** The per-overlay HPA bounds patch. Previews run one pod. */
export function hpaPatch(svc: Service, overlay: OverlayName): Obj {
  const { min, max } = overlay === 'preview' ? { min: 1, max: 1 } : svc.deploy.replicas[overlay];
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: svc.name },
    spec: { minReplicas: min, maxReplicas: Math.max(min, max) },
  };
}
