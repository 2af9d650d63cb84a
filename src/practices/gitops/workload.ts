import type { EnvVar, ManifestFile, OverlayModel, ServiceModel, WorkloadModel } from '../../model/types.js';
import { selectorLabels, serviceLabels } from '../../model/labels.js';
import { PRE_STOP_SLEEP_SECONDS, SHUTDOWN_DRAIN_SECONDS, TERMINATION_GRACE_PERIOD_SECONDS, preStopSleep } from '../../model/pod.js';
import type { Service, Spec } from '../../spec/types.js';
import { ENVIRONMENTS, UNBUILT_PREVIEW_TAG, UNPROMOTED_DIGEST, namespaceFor, overlayDir, previewNamespacePlaceholder, serviceDir } from './names.js';

/**
 * A service's workload as the gitops practice contributes it: a Deployment with Service,
 * ServiceAccount, HPA and PDB in the Kustomize base, and one overlay per environment. Later
 * practices amend it (env, sidecars, the Rollout); the objects are built at emit time, so
 * hardening lives here once and every strategy shares the same pod template.
 */

type Obj = Record<string, unknown>;

/** The UID the restricted profile runs every container as (not 0, not the image's choice). */
export const RUN_AS_USER = 10001;

/**
 * Share of the memory limit a JVM heap may take (-XX:MaxRAMPercentage). The seeded Java image
 * sets 75 in JAVA_TOOL_OPTIONS; JDK_JAVA_OPTIONS is read by the `java` launcher after it and
 * wins for the same flag, without dropping the agent JAVA_TOOL_OPTIONS loads. Half of the limit
 * leaves room for metaspace, code cache, thread stacks and the OpenTelemetry agent (see
 * defaultResources in the deploy config for the numbers).
 */
export const JAVA_HEAP_PERCENT = 50;

function javaHeapEnv(svc: Service): EnvVar[] {
  return svc.language === 'java' ? [{ name: 'JDK_JAVA_OPTIONS', value: `-XX:MaxRAMPercentage=${JAVA_HEAP_PERCENT}` }] : [];
}

function probe(svc: Service, periodSeconds: number, failureThreshold: number): Obj {
  return { httpGet: { path: svc.healthPath, port: 'http' }, periodSeconds, timeoutSeconds: 2, failureThreshold };
}

function appContainer(svc: Service, image: string, env: EnvVar[]): Obj {
  const r = svc.deploy.resources;
  return {
    name: svc.name,
    // Bare repository: each overlay's `images` entry pins it (digest or immutable tag).
    image,
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
    lifecycle: preStopSleep(),
  };
}

/** The pod template shared by the Deployment and any Rollout that replaces it. */
function podTemplate(spec: Spec, svc: Service, image: string, w: WorkloadModel): Obj {
  const env = w.env.flatMap((group) => group());
  const containers = [appContainer(svc, image, env), ...w.sidecars];
  const volumes: Obj[] = [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }, ...w.volumes];
  // Argo Rollouts labels its pods rollouts-pod-template-hash instead of pod-template-hash.
  const hashKey = w.kind === 'Rollout' ? 'rollouts-pod-template-hash' : 'pod-template-hash';
  const spread = (topologyKey: string): Obj => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: selectorLabels(svc.name) },
    // Spread each revision on its own, so a rollout's new pods are spread too.
    matchLabelKeys: [hashKey],
  });
  return {
    metadata: { labels: serviceLabels(spec.project.name, svc.name) },
    spec: {
      serviceAccountName: svc.name,
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
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

function meta(spec: Spec, svc: Service, name = svc.name): Obj {
  return { name, labels: serviceLabels(spec.project.name, svc.name) };
}

/**
 * Rolling update: surge 25% and never dip below the current count (maxUnavailable 0),
 * so capacity holds during a deploy. The PDB (maxUnavailable 1) governs voluntary
 * disruptions such as node drains, which the Deployment strategy does not.
 * No `replicas`: the HPA owns the count.
 */
function deployment(spec: Spec, svc: Service, w: WorkloadModel): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(spec, svc),
    spec: {
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(svc.name) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: w.podTemplate(),
    },
  };
}

export function serviceObject(spec: Spec, svc: Service, name = svc.name): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(spec, svc, name),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(svc.name),
      ports: [{ name: 'http', port: svc.port, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

function serviceAccount(spec: Spec, svc: Service): Obj {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(spec, svc),
    // The app does not call the Kubernetes API; a token it never uses is only a risk.
    automountServiceAccountToken: false,
  };
}

/** Base bounds are production's; overlays patch them per environment. The target follows the workload kind. */
function hpa(spec: Spec, svc: Service, w: WorkloadModel): Obj {
  const { min, max } = svc.deploy.replicas.production;
  const scaleTargetRef = w.kind === 'Rollout'
    ? { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: svc.name }
    : { apiVersion: 'apps/v1', kind: 'Deployment', name: svc.name };
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(spec, svc),
    spec: {
      scaleTargetRef,
      minReplicas: min,
      maxReplicas: max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  };
}

/** maxUnavailable 1 (not minAvailable = replicas), so node drains always make progress. */
function pdb(spec: Spec, svc: Service): Obj {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(spec, svc),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(svc.name) } },
  };
}

/** The per-overlay HPA bounds patch. Previews run one pod. */
function hpaPatch(svc: Service, overlay: OverlayModel['name']): Obj {
  const { min, max } = overlay === 'preview' ? { min: 1, max: 1 } : svc.deploy.replicas[overlay];
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: svc.name },
    spec: { minReplicas: min, maxReplicas: Math.max(min, max) },
  };
}

const file = (name: string, objects: () => Obj[], comments?: string[]): ManifestFile => (comments ? { file: name, objects, comments } : { file: name, objects });

/** The workload the gitops practice contributes for one service. */
export function serviceWorkload(spec: Spec, svc: ServiceModel): WorkloadModel {
  const s = svc.spec;
  const image = svc.image!.repository;
  const overlays: OverlayModel[] = ENVIRONMENTS.map((env) => ({
    name: env,
    dir: overlayDir(spec, s, env),
    namespace: namespaceFor(spec, env),
    patches: [],
    image: { name: image, digest: UNPROMOTED_DIGEST },
    promotedBy: env === 'staging' ? ('ci' as const) : ('promote' as const),
    configMaps: [],
  }));
  if (spec.gitops.previews) {
    overlays.push({ name: 'preview', dir: overlayDir(spec, s, 'preview'), namespace: previewNamespacePlaceholder(spec), patches: [], image: { name: image, tag: UNBUILT_PREVIEW_TAG }, promotedBy: 'argocd', configMaps: [] });
  }
  const w: WorkloadModel = {
    owner: 'gitops',
    service: s.name,
    dir: serviceDir(spec, s),
    kind: 'Deployment',
    env: [() => javaHeapEnv(s)],
    sidecars: [],
    volumes: [],
    workloadFiles: [],
    baseFiles: [],
    overlays,
    podTemplate: () => podTemplate(spec, s, image, w),
    serviceObject: (name) => serviceObject(spec, s, name),
  };
  w.workloadFiles.push(
    file('deployment.yaml', () => [deployment(spec, s, w)], [
      'Rolling update: maxSurge 25%, maxUnavailable 0, so serving capacity never drops during a deploy;',
      'the PodDisruptionBudget (maxUnavailable 1) covers node drains. No replicas: the HPA owns the count.',
      'Restricted Pod Security: non-root UID 10001, no privilege escalation, no capabilities, RuntimeDefault',
      'seccomp, read-only root filesystem with a writable /tmp. CPU has a request but no limit (a CPU limit',
      'throttles under CFS quota and shows up as tail latency); memory has a limit because it cannot be reclaimed.',
      `The health path (${s.healthPath}) must not check dependencies: liveness failures restart the pod.`,
      `Drain: preStop sleeps ${PRE_STOP_SLEEP_SECONDS}s (Kubernetes' sleep action, >= 1.30, no shell needed) while endpoints stop routing here,`,
      `then SIGTERM; the app has ${SHUTDOWN_DRAIN_SECONDS}s to finish in-flight requests (terminationGracePeriodSeconds ${TERMINATION_GRACE_PERIOD_SECONDS}).`,
    ]),
  );
  w.baseFiles.push(
    file('service.yaml', () => [serviceObject(spec, s)]),
    file('serviceaccount.yaml', () => [serviceAccount(spec, s)]),
    file('hpa.yaml', () => [hpa(spec, s, w)], ['Bounds here are production\'s; each overlay patches its own (patch-hpa.yaml).']),
    file('pdb.yaml', () => [pdb(spec, s)], ['maxUnavailable 1 rather than minAvailable: a drain can always evict one pod at a time.']),
  );
  for (const o of overlays) o.patches.push(file('patch-hpa.yaml', () => [hpaPatch(s, o.name)]));
  return w;
}
