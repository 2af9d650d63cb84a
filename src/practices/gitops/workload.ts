import type { EnvVar, ManifestFile, OverlayModel, ServiceModel, WorkloadModel } from '../../model/types.js';
import { selectorLabels, serviceLabels } from '../../model/labels.js';
import { PRE_STOP_SLEEP_SECONDS, SHUTDOWN_DRAIN_SECONDS, TERMINATION_GRACE_PERIOD_SECONDS, preStopSleep } from '../../model/pod.js';
import type { Service, Spec } from '../../spec/types.js';
import { ENVIRONMENTS, UNBUILT_PREVIEW_TAG, UNPROMOTED_DIGEST, namespaceFor, overlayDir, previewNamespacePlaceholder, previewRepository, serviceDir } from './names.js';

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

/** Kinds that serve on a port behind a Service (and get probes, HPA on load, request SLOs, rollouts). */
export const servesTraffic = (svc: Pick<Service, 'kind'>): boolean => svc.kind === 'web' || svc.kind === 'grpc';
/** Kinds that run to completion (Job, CronJob). */
export const runsToCompletion = (svc: Pick<Service, 'kind'>): boolean => svc.kind === 'job' || svc.kind === 'cronjob';

/** The name of the app container's port: `grpc` for gRPC services, else `http`. */
export const portName = (svc: Service): string => (svc.kind === 'grpc' ? 'grpc' : 'http');

/**
 * The probe handler from `services[].probes`: HTTP GET on the detected path (readiness on its
 * own path when the framework has one, e.g. Spring Boot's /actuator/health/readiness), the
 * gRPC health protocol, a TCP connect, or none. The port is the named app port unless the
 * probes name another (a management port). Jobs and cron jobs never get probes.
 */
export function probeHandler(svc: Service, which: 'liveness' | 'readiness'): Obj | undefined {
  if (runsToCompletion(svc)) return undefined;
  const p = svc.probes;
  const port: number | string = p.port ?? (servesTraffic(svc) ? portName(svc) : svc.port);
  switch (p.type) {
    case 'http': {
      const live = p.path ?? svc.healthPath;
      return { httpGet: { path: which === 'readiness' ? (p.readinessPath ?? live) : live, port } };
    }
    case 'grpc':
      // The grpc probe needs a number (no named ports): the gRPC port, or the probes' own.
      return { grpc: { port: p.port ?? svc.port } };
    case 'tcp':
      return { tcpSocket: { port } };
    default:
      return undefined;
  }
}

function probes(svc: Service): Obj {
  const live = probeHandler(svc, 'liveness');
  const ready = probeHandler(svc, 'readiness');
  if (!live || !ready) return {};
  const p = (handler: Obj, periodSeconds: number, failureThreshold: number): Obj => ({ ...handler, periodSeconds, timeoutSeconds: 2, failureThreshold });
  // Startup allows 150 s for a slow boot before liveness starts counting. A worker has no
  // traffic to gate, so it gets no readiness probe (readiness only steers Service endpoints).
  return {
    startupProbe: p(live, 5, 30),
    ...(servesTraffic(svc) ? { readinessProbe: p(ready, 5, 3) } : {}),
    livenessProbe: p(live, 10, 3),
  };
}

/** The Secret each service's required configuration comes from; the team creates it (docs/gitops.md). */
export const configSecretName = (svc: Pick<Service, 'name'>): string => `${svc.name}-config`;

/**
 * `services[].requiredEnv`: variables the app reads without a default. Each comes from the key
 * of the same name in the Secret <service>-config, which the team creates in every namespace;
 * optional: false, so a missing key keeps the pod from starting (CreateContainerConfigError)
 * rather than running with an empty value. Never a made-up value.
 */
export function requiredEnvVars(svc: Service): EnvVar[] {
  return (svc.requiredEnv ?? []).map((name) => ({ name, valueFrom: { secretKeyRef: { name: configSecretName(svc), key: name, optional: false } } }));
}

function appContainer(svc: Service, image: string, env: EnvVar[]): Obj {
  const r = svc.deploy.resources;
  return {
    name: svc.name,
    // Bare repository: each overlay's `images` entry pins it (digest or immutable tag).
    image,
    imagePullPolicy: 'IfNotPresent',
    ...(servesTraffic(svc) ? { ports: [{ name: portName(svc), containerPort: svc.port, protocol: 'TCP' }] } : {}),
    ...(env.length > 0 ? { env } : {}),
    // Memory is not compressible, so it gets a limit; CPU gets none: a CPU limit throttles
    // the process (CFS quota) even on an idle node, which shows up as tail latency.
    resources: { requests: { cpu: r.cpu, memory: r.memory }, limits: { memory: r.memoryLimit } },
    ...probes(svc),
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    // Only a served container needs time for endpoints to stop routing to it.
    ...(servesTraffic(svc) ? { lifecycle: preStopSleep() } : {}),
  };
}

/** The pod template shared by the Deployment and any Rollout that replaces it. */
function podTemplate(spec: Spec, svc: Service, image: string, w: WorkloadModel): Obj {
  const env = w.env.flatMap((group) => group());
  const containers = [appContainer(svc, image, env), ...w.sidecars];
  const volumes: Obj[] = [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }, ...w.volumes];
  // Argo Rollouts labels its pods rollouts-pod-template-hash instead of pod-template-hash.
  const hashKey = w.kind === 'Rollout' ? 'rollouts-pod-template-hash' : 'pod-template-hash';
  const job = runsToCompletion(svc);
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
      // A Job's pod must not restart in place: the Job controller retries (backoffLimit).
      ...(job ? { restartPolicy: 'Never' } : { terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS }),
      securityContext: {
        runAsNonRoot: true,
        runAsUser: RUN_AS_USER,
        runAsGroup: RUN_AS_USER,
        fsGroup: RUN_AS_USER,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers,
      volumes,
      // Job pods have no pod-template-hash and run one at a time: nothing to spread.
      ...(job ? {} : { topologySpreadConstraints: [spread('topology.kubernetes.io/zone'), spread('kubernetes.io/hostname')] }),
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

/**
 * Argo CD replaces a Job rather than patching it: a Job's pod template is immutable, so a
 * promoted image (a new digest in the template) could not be applied in place. Replace
 * deletes the finished Job and creates the new one, which runs once. No
 * ttlSecondsAfterFinished: a Job the cluster deleted by itself would be out of sync, and Argo
 * CD would create it again (and run it again).
 */
const JOB_SYNC = { 'argocd.argoproj.io/sync-options': 'Force=true,Replace=true' };

/** Retries before a run counts as failed (each retry is a new pod, backing off 10 s, 20 s, 40 s…). */
export const JOB_BACKOFF_LIMIT = 3;

function job(spec: Spec, svc: Service, w: WorkloadModel): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...meta(spec, svc), annotations: JOB_SYNC },
    spec: { backoffLimit: JOB_BACKOFF_LIMIT, template: w.podTemplate() },
  };
}

/**
 * A CronJob: the schedule from devops.yaml in UTC, never two runs at once (Forbid: a run that
 * overlaps the next is skipped, not doubled), a run that could not start within 5 minutes of
 * its time is skipped, and the last three successful and failed Jobs kept for their logs.
 */
function cronJob(spec: Spec, svc: Service, w: WorkloadModel): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta(spec, svc),
    spec: {
      schedule: svc.schedule ?? '0 3 * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: { spec: { backoffLimit: JOB_BACKOFF_LIMIT, template: w.podTemplate() } },
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
      // appProtocol tells meshes and gateways the port speaks gRPC (HTTP/2), not HTTP/1.1.
      ports: [{ name: portName(svc), port: svc.port, targetPort: portName(svc), protocol: 'TCP', ...(svc.kind === 'grpc' ? { appProtocol: 'grpc' } : {}) }],
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
    overlays.push({ name: 'preview', dir: overlayDir(spec, s, 'preview'), namespace: previewNamespacePlaceholder(spec), patches: [], image: { name: image, newName: previewRepository(image), tag: UNBUILT_PREVIEW_TAG }, promotedBy: 'argocd', configMaps: [] });
  }
  const kind: WorkloadModel['kind'] = s.kind === 'job' ? 'Job' : s.kind === 'cronjob' ? 'CronJob' : 'Deployment';
  const w: WorkloadModel = {
    owner: 'gitops',
    service: s.name,
    dir: serviceDir(spec, s),
    kind,
    env: [() => javaHeapEnv(s), () => requiredEnvVars(s)],
    sidecars: [],
    volumes: [],
    workloadFiles: [],
    baseFiles: [],
    overlays,
    podTemplate: () => podTemplate(spec, s, image, w),
    serviceObject: (name) => serviceObject(spec, s, name),
  };
  if (kind === 'Job') {
    w.workloadFiles.push(file('job.yaml', () => [job(spec, s, w)], [
      `Runs to completion once per promoted image: ${JOB_BACKOFF_LIMIT} retries, restricted Pod Security, no Service, HPA, PDB or probes.`,
      'Argo CD replaces the Job when its image changes (its pod template is immutable), which runs it again.',
    ]));
  } else if (kind === 'CronJob') {
    // A preview runs the PR's code with no production configuration: its CronJob is suspended
    // (run it by hand: kubectl create job --from=cronjob/<name> <name>-manual -n <preview namespace>).
    for (const o of overlays) {
      if (o.name === 'preview') o.patches.push(file('patch-cronjob.yaml', () => [{ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: s.name }, spec: { suspend: true } }], ['Previews do not run on the schedule: kubectl create job --from=cronjob/' + s.name + ' runs it once.']));
    }
    w.workloadFiles.push(file('cronjob.yaml', () => [cronJob(spec, s, w)], [
      `Schedule ${s.schedule ?? '0 3 * * *'} (UTC, services[].schedule); concurrencyPolicy Forbid: a run still going when the next is due skips that one.`,
      `${JOB_BACKOFF_LIMIT} retries per run, restricted Pod Security, no Service, HPA, PDB or probes.`,
    ]));
  } else {
    w.workloadFiles.push(file('deployment.yaml', () => [deployment(spec, s, w)], deploymentComments(s)));
  }
  if (servesTraffic(s)) w.baseFiles.push(file('service.yaml', () => [serviceObject(spec, s)]));
  w.baseFiles.push(file('serviceaccount.yaml', () => [serviceAccount(spec, s)]));
  if (!runsToCompletion(s)) {
    w.baseFiles.push(
      file('hpa.yaml', () => [hpa(spec, s, w)], [
        'Bounds here are production\'s; each overlay patches its own (the HPA patch in its kustomization.yaml).',
        ...(s.kind === 'worker' ? ['A worker scales on CPU only: it serves no requests. Scaling on queue depth (KEDA) is yours to add.'] : []),
      ]),
      file('pdb.yaml', () => [pdb(spec, s)], ['maxUnavailable 1 rather than minAvailable: a drain can always evict one pod at a time.']),
    );
    for (const o of overlays) o.patches.push(file('patch-hpa.yaml', () => [hpaPatch(s, o.name)]));
  }
  return w;
}

function deploymentComments(s: Service): string[] {
  const lines = [
    'Rolling update: maxSurge 25%, maxUnavailable 0, so serving capacity never drops during a deploy;',
    'the PodDisruptionBudget (maxUnavailable 1) covers node drains. No replicas: the HPA owns the count.',
    'Restricted Pod Security: non-root UID 10001, no privilege escalation, no capabilities, RuntimeDefault',
    'seccomp, read-only root filesystem with a writable /tmp. CPU has a request but no limit (a CPU limit',
    'throttles under CFS quota and shows up as tail latency); memory has a limit because it cannot be reclaimed.',
  ];
  lines.push(...probeComments(s));
  if (servesTraffic(s)) {
    lines.push(
      `Drain: preStop sleeps ${PRE_STOP_SLEEP_SECONDS}s (Kubernetes' sleep action, >= 1.30, no shell needed) while endpoints stop routing here,`,
      `then SIGTERM; the app has ${SHUTDOWN_DRAIN_SECONDS}s to finish in-flight requests (terminationGracePeriodSeconds ${TERMINATION_GRACE_PERIOD_SECONDS}).`,
    );
  } else {
    lines.push(`Worker: no Service and no preStop (nothing routes to it); on SIGTERM it has ${TERMINATION_GRACE_PERIOD_SECONDS}s to finish its current work.`);
  }
  return lines;
}

/** What the probes are and where they come from (services[].probes). */
function probeComments(s: Service): string[] {
  const p = s.probes;
  if (p.type === 'http') {
    const live = p.path ?? s.healthPath;
    return [
      `Probes GET ${live}${p.readinessPath ? ` (liveness) and ${p.readinessPath} (readiness)` : ''}${p.port ? ` on port ${p.port}` : ''} (services[].probes / healthPath);`,
      'the liveness path must not check dependencies: liveness failures restart the pod.',
    ];
  }
  if (p.type === 'grpc') return [`Probes use the gRPC health protocol (grpc.health.v1) on port ${p.port ?? s.port}: the server must register the health service.`];
  if (p.type === 'tcp') return [`Probes check that port ${p.port ?? s.port} accepts TCP connections: no HTTP health route is known (set services[].probes to use one).`];
  return s.kind === 'worker'
    ? ['No probes: a worker listens on no port and has no health route; a hung process is not restarted. Give it one with services[].probes (tcp or http on a port it opens).']
    : ['No probes (services[].probes.type: none): Kubernetes only restarts the pod when the process exits.'];
}
