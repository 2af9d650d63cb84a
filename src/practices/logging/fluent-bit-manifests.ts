import type { Spec } from '../../spec/types.js';
import { plain } from '../../model/yaml-data.js';
import { FLUENT_BIT_HTTP_PORT, FLUENT_BIT_IMAGE, STATE_DIR } from './fluent-bit-config.js';

/** A resource file of the Fluent Bit folder. */
export interface ManifestFile {
  file: string;
  objects: Record<string, unknown>[];
}

/** Repo folder of the Fluent Bit Kustomize set (Argo CD's source path). */
export const FLUENT_BIT_DIR = 'logging/fluent-bit';
const NAME = 'fluent-bit';
const CONFIG_MAP = 'fluent-bit-config';
const SELECTOR = { 'app.kubernetes.io/name': NAME };
const LABELS = { ...SELECTOR, 'app.kubernetes.io/component': 'log-shipper' };



/**
 * Fluent Bit as a DaemonSet, as tight as a log shipper can be. It must read other
 * containers' log files on the node, which the runtime writes as root with mode 0640:
 * so it runs as UID 0, but with every capability dropped (root without
 * CAP_DAC_OVERRIDE reads those files only because it owns them), no privilege
 * escalation, a read-only root filesystem, and /var/log mounted read-only. The only
 * writable host path is its own offset database.
 */
export function fluentBitManifests(spec: Spec): ManifestFile[] {
  const ns = spec.logging.namespace;
  const files: ManifestFile[] = [];

  // hostPath volumes are refused by the "baseline" and "restricted" Pod Security
  // levels, so this namespace is "privileged" — keep nothing else in it.
  files.push({
    file: 'namespace.yaml',
    objects: [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns, labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
      },
    ],
  });

  files.push({
    file: 'serviceaccount.yaml',
    objects: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: NAME, labels: LABELS } }],
  });

  // The kubernetes filter looks up each pod's labels and namespace: read-only, nothing else.
  files.push({
    file: 'rbac.yaml',
    objects: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: `${ns}-${NAME}`, labels: LABELS },
        rules: [{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }],
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

  const health = { httpGet: { path: '/api/v1/health', port: 'http' } };
  files.push({
    file: 'daemonset.yaml',
    objects: [
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: NAME, labels: LABELS },
        spec: {
          selector: { matchLabels: SELECTOR },
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
          template: {
            metadata: { labels: LABELS },
            spec: {
              serviceAccountName: NAME,
              securityContext: {
                runAsUser: 0,
                runAsGroup: 0,
                runAsNonRoot: false,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              // Ship logs from every node, tainted ones included.
              tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
              containers: [
                {
                  name: NAME,
                  image: FLUENT_BIT_IMAGE,
                  command: ['/fluent-bit/bin/fluent-bit'],
                  args: ['--config=/fluent-bit/etc/conf/fluent-bit.yaml'],
                  ports: [{ name: 'http', containerPort: FLUENT_BIT_HTTP_PORT, protocol: 'TCP' }],
                  resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
                  securityContext: {
                    privileged: false,
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ['ALL'] },
                  },
                  livenessProbe: { ...health, periodSeconds: 30, failureThreshold: 3 },
                  readinessProbe: { ...health, periodSeconds: 10 },
                  volumeMounts: [
                    { name: 'config', mountPath: '/fluent-bit/etc/conf', readOnly: true },
                    { name: 'varlog', mountPath: '/var/log', readOnly: true },
                    { name: 'state', mountPath: STATE_DIR },
                  ],
                },
              ],
              volumes: [
                { name: 'config', configMap: { name: CONFIG_MAP } },
                { name: 'varlog', hostPath: { path: '/var/log', type: 'Directory' } },
                { name: 'state', hostPath: { path: STATE_DIR, type: 'DirectoryOrCreate' } },
              ],
            },
          },
        },
      },
    ],
  });

  return plain(files);
}

/** The ConfigMap Fluent Bit reads its config from (hashed name: a config change rolls the pods). */
export const FLUENT_BIT_CONFIG_MAP = CONFIG_MAP;
