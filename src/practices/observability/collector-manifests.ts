import type { Spec } from '../../spec/types.js';
import { COLLECTOR_SERVICE, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from './otel.js';
import { HEALTH_CHECK_PORT } from './collector-config.js';
import { collectorImage } from './components.js';
import { plain } from '../../model/yaml-data.js';

type Obj = Record<string, unknown>;

/** A resource file of the collector's folder. */
export interface ManifestFile {
  file: string;
  objects: Obj[];
}

/** Repo folder of the collector's Kustomize set (Argo CD's source path). */
export const COLLECTOR_DIR = 'observability/collector';
const NAME = COLLECTOR_SERVICE;
const CONFIG_MAP = 'otel-collector-config';
const SELECTOR = { 'app.kubernetes.io/name': NAME };
const LABELS = { ...SELECTOR, 'app.kubernetes.io/component': 'collector' };


/**
 * The collector as plain manifests, least privilege: its own ServiceAccount with
 * read-only access to the pod metadata k8sattributes needs, a pod that passes the
 * "restricted" Pod Security profile, two replicas behind one Service.
 */
export function collectorManifests(spec: Spec): ManifestFile[] {
  const ns = spec.observability.namespace;
  const files: ManifestFile[] = [];

  // The namespace enforces "restricted". Skipped when it is shared with the
  // monitoring stack, whose node exporter needs host access.
  if (ns !== spec.monitoring.namespace) {
    files.push({
      file: 'namespace.yaml',
      objects: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: ns,
            labels: {
              'pod-security.kubernetes.io/enforce': 'restricted',
              'pod-security.kubernetes.io/warn': 'restricted',
              'pod-security.kubernetes.io/audit': 'restricted',
            },
          },
        },
      ],
    });
  }

  files.push({
    file: 'serviceaccount.yaml',
    objects: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: NAME, labels: LABELS } }],
  });

  // ClusterRole, not Role: services run in other namespaces. Read-only, and only the
  // kinds the processor reads (deployments.apps and replicasets give k8s.deployment.name).
  files.push({
    file: 'rbac.yaml',
    objects: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: `${ns}-${NAME}`, labels: LABELS },
        rules: [
          { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['apps'], resources: ['replicasets', 'deployments'], verbs: ['get', 'list', 'watch'] },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `${ns}-${NAME}`, labels: LABELS },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${ns}-${NAME}` },
        subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: ns }],
      },
    ],
  });

  const probe = { httpGet: { path: '/', port: 'health' } };
  files.push({
    file: 'deployment.yaml',
    objects: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: NAME, labels: LABELS },
        spec: {
          replicas: 2,
          selector: { matchLabels: SELECTOR },
          template: {
            metadata: { labels: LABELS },
            spec: {
              serviceAccountName: NAME,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 10001,
                runAsGroup: 10001,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              containers: [
                {
                  name: 'otel-collector',
                  image: collectorImage(spec.observability.collectorVersion),
                  args: ['--config=/conf/config.yaml'],
                  ports: [
                    { name: 'otlp-grpc', containerPort: OTLP_GRPC_PORT, protocol: 'TCP' },
                    { name: 'otlp-http', containerPort: OTLP_HTTP_PORT, protocol: 'TCP' },
                    { name: 'health', containerPort: HEALTH_CHECK_PORT, protocol: 'TCP' },
                  ],
                  // Go's soft limit below the container limit, so the GC works harder
                  // before memory_limiter has to refuse data.
                  env: [{ name: 'GOMEMLIMIT', value: '410MiB' }],
                  resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '512Mi' } },
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ['ALL'] },
                  },
                  startupProbe: { ...probe, periodSeconds: 2, failureThreshold: 30 },
                  readinessProbe: { ...probe, periodSeconds: 10 },
                  livenessProbe: { ...probe, periodSeconds: 15 },
                  volumeMounts: [{ name: 'config', mountPath: '/conf', readOnly: true }],
                },
              ],
              volumes: [{ name: 'config', configMap: { name: CONFIG_MAP } }],
              topologySpreadConstraints: [
                {
                  maxSkew: 1,
                  topologyKey: 'kubernetes.io/hostname',
                  whenUnsatisfiable: 'ScheduleAnyway',
                  labelSelector: { matchLabels: SELECTOR },
                },
              ],
            },
          },
        },
      },
    ],
  });

  files.push({
    file: 'service.yaml',
    objects: [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: NAME, labels: LABELS },
        spec: {
          selector: SELECTOR,
          ports: [
            { name: 'otlp-grpc', port: OTLP_GRPC_PORT, targetPort: 'otlp-grpc', protocol: 'TCP', appProtocol: 'grpc' },
            { name: 'otlp-http', port: OTLP_HTTP_PORT, targetPort: 'otlp-http', protocol: 'TCP', appProtocol: 'http' },
          ],
        },
      },
    ],
  });

  files.push({
    file: 'pdb.yaml',
    objects: [
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: NAME, labels: LABELS },
        spec: { maxUnavailable: 1, selector: { matchLabels: SELECTOR } },
      },
    ],
  });

  return plain(files);
}

/** The ConfigMap the collector reads its config from (hashed name: a config change rolls the pods). */
export const COLLECTOR_CONFIG_MAP = CONFIG_MAP;
