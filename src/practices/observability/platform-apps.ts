import type { PracticeId, Spec } from '../../spec/types.js';
import { CHARTS, GRAFANA_DASHBOARD_LABEL, backendEndpoints, prometheusRelease, type PinnedChart } from './charts.js';
import { lokiBase } from './collector-config.js';
import { plain, quoted } from './yaml-data.js';
import { IN_CLUSTER, repoURL } from '../gitops/model.js';
import { alertmanagerConfig, alertmanagerSecrets } from '../monitoring/alertmanager.js';

type Obj = Record<string, unknown>;

/**
 * The Argo CD project for cluster-wide telemetry (backends, collector, log shipper,
 * alert rules). Service projects allow no cluster-scoped kinds; these apps need a few
 * (CRDs, RBAC for their agents, admission webhooks), so they get their own project
 * with exactly those kinds and only the telemetry namespaces as destinations.
 */
export const PLATFORM_PROJECT = 'platform';

/** Practices that deploy into the platform project, in the order that decides who writes it. */
const PLATFORM_PRACTICES: PracticeId[] = ['observability', 'monitoring', 'logging'];

/**
 * Which practice renders `<gitops.dir>/argocd/platform-project.yaml`: the first
 * enabled one of observability, monitoring, logging (a file has one owner), and only
 * with GitOps on.
 */
export function platformProjectOwner(spec: Spec): PracticeId | undefined {
  if (!spec.practices.includes('gitops')) return undefined;
  return PLATFORM_PRACTICES.find((p) => spec.practices.includes(p));
}

export function platformProjectPath(spec: Spec): string {
  return `${spec.gitops.dir}/argocd/platform-project.yaml`;
}

export { repoURL };

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

export function platformProject(spec: Spec): Obj {
  const on = (p: PracticeId) => spec.practices.includes(p);
  const namespaces = unique([
    ...(on('observability') || on('monitoring') ? [spec.monitoring.namespace] : []),
    ...(on('observability') ? [spec.observability.namespace] : []),
    ...(on('logging') ? [spec.logging.namespace] : []),
  ]);
  const chartRepos = on('observability') ? unique(Object.values(CHARTS).map((c) => c.repoURL)) : [];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: PLATFORM_PROJECT, namespace: spec.gitops.argocdNamespace },
    spec: {
      description: 'Cluster-wide telemetry: metrics, logs, traces and alert rules',
      sourceRepos: [repoURL(spec), ...chartRepos],
      destinations: namespaces.map((namespace) => ({ server: IN_CLUSTER, namespace })),
      clusterResourceWhitelist: [
        { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
        { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
        { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
        { group: '', kind: 'Namespace' },
      ],
      // Quotas and limits are the cluster admins' to set, not a chart's.
      namespaceResourceBlacklist: [
        { group: '', kind: 'ResourceQuota' },
        { group: '', kind: 'LimitRange' },
      ],
    },
  };
}

/** An Application in the platform project, auto-synced with pruning and self-heal. */
export function platformApplication(spec: Spec, name: string, namespace: string, source: Obj, syncOptions: string[]): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      namespace: spec.gitops.argocdNamespace,
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: PLATFORM_PROJECT,
      source,
      destination: { server: IN_CLUSTER, namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        // Chart CRDs and webhooks can lag behind the objects that use them: retry.
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
        ...(syncOptions.length > 0 ? { syncOptions } : {}),
      },
    },
  };
}

function chartSource(chart: PinnedChart, releaseName: string, values: Obj): Obj {
  return {
    repoURL: chart.repoURL,
    chart: chart.chart,
    targetRevision: chart.version,
    helm: { releaseName, valuesObject: values },
  };
}

/**
 * With the monitoring practice, the chart's Alertmanager runs the generated routing (the
 * same object as monitoring/alertmanager/alertmanager.yml) instead of the chart's default
 * (everything to a `null` receiver). Helm merges these values over the chart's: our route,
 * receivers and inhibit_rules replace its own; only its `global.resolve_timeout` and
 * `templates` glob stay. The config holds only file paths; the Secrets behind them are
 * mounted by the operator at /etc/alertmanager/secrets/<Secret>/<key> and created by the
 * team (docs/slos.md): nothing secret is in Git.
 */
function alertmanagerValues(spec: Spec): Obj | undefined {
  if (!spec.practices.includes('monitoring')) return undefined;
  const secrets = [...new Set(alertmanagerSecrets(spec).flatMap((s) => (s.secret ? [s.secret.name] : [])))];
  return {
    config: plain(alertmanagerConfig(spec)),
    alertmanagerSpec: { secrets },
  };
}

/** kube-prometheus-stack: Prometheus with the OTLP receiver, Alertmanager, Grafana wired to Loki and Tempo. */
function kubePrometheusStackValues(spec: Spec): Obj {
  const alertmanager = alertmanagerValues(spec);
  const ep = backendEndpoints(spec);
  const selectAll = { matchLabels: { release: prometheusRelease(spec) } };
  return {
    // Resource names start with the release name, so Prometheus is <release>-prometheus.
    fullnameOverride: prometheusRelease(spec),
    crds: { enabled: true },
    // Control-plane scrapers create Services in kube-system, outside the project's
    // destinations; managed clusters (EKS, GKE, AKS) do not expose these endpoints anyway.
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },
    coreDns: { enabled: false },
    prometheus: {
      prometheusSpec: {
        // Adds --web.enable-otlp-receiver: the collector pushes metrics to /api/v1/otlp.
        enableOTLPReceiver: true,
        // Turn these resource attributes into labels, so staging and production series
        // of one service stay apart.
        otlp: { promoteResourceAttributes: ['deployment.environment.name', 'k8s.namespace.name'] },
        // Rules and monitors from any namespace, as long as they carry the release label.
        ruleSelector: plain(selectAll),
        ruleNamespaceSelector: {},
        serviceMonitorSelector: plain(selectAll),
        serviceMonitorNamespaceSelector: {},
        podMonitorSelector: plain(selectAll),
        podMonitorNamespaceSelector: {},
        // OTLP pushes can arrive late or out of order (collector batching and retries, several
        // collector replicas); without a window Prometheus drops those samples.
        tsdb: { outOfOrderTimeWindow: '30m' },
        // SLO reports look back 30 days.
        retention: '31d',
        storageSpec: {
          volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } } },
        },
      },
    },
    ...(alertmanager ? { alertmanager } : {}),
    grafana: {
      // The admin login comes from a Secret you create; no default password ships.
      admin: { existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
      sidecar: {
        dashboards: {
          enabled: true,
          label: Object.keys(GRAFANA_DASHBOARD_LABEL)[0],
          labelValue: Object.values(GRAFANA_DASHBOARD_LABEL)[0],
          searchNamespace: 'ALL',
        },
      },
      additionalDataSources: [
        {
          name: 'Loki',
          type: 'loki',
          uid: 'loki',
          access: 'proxy',
          url: lokiBase(spec),
          jsonData: {
            // trace_id travels as structured metadata: one click from a log line to its trace.
            derivedFields: [
              { name: 'trace_id', matcherType: 'label', matcherRegex: 'trace_id', datasourceUid: 'tempo', url: '$${__value.raw}', urlDisplayLabel: 'Open trace' },
            ],
          },
        },
        {
          name: 'Tempo',
          type: 'tempo',
          uid: 'tempo',
          access: 'proxy',
          url: ep.tempoHttp,
          jsonData: {
            tracesToLogsV2: { datasourceUid: 'loki', filterByTraceID: true, spanStartTimeShift: '-5m', spanEndTimeShift: '5m' },
            // No serviceMap: it reads the service-graph metrics of Tempo's metrics-generator,
            // which this Tempo does not run, so the view would stay empty.
            lokiSearch: { datasourceUid: 'loki' },
          },
        },
      ],
    },
  };
}

/** Loki, monolithic (one StatefulSet, filesystem storage) with schema v13 on TSDB: structured metadata needs both. */
function lokiValues(): Obj {
  return {
    deploymentMode: 'SingleBinary',
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: 'filesystem' },
      schemaConfig: {
        configs: [
          // Quoted: Helm's YAML 1.1 reader would make an unquoted date a timestamp.
          { from: quoted('2024-04-01'), store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'loki_index_', period: '24h' } },
        ],
      },
      limits_config: { allow_structured_metadata: true, volume_enabled: true, retention_period: '744h' },
      compactor: { retention_enabled: true, delete_request_store: 'filesystem' },
    },
    singleBinary: { replicas: 1, persistence: { enabled: true, size: '50Gi' } },
    // The chart's scalable targets and memcached caches are for large installs.
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    minio: { enabled: false },
  };
}

/** Tempo single binary, OTLP only. */
function tempoValues(): Obj {
  return {
    tempo: {
      reportingEnabled: false,
      retention: '168h',
      receivers: {
        jaeger: null,
        otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } },
      },
    },
    persistence: { enabled: true, size: '20Gi' },
  };
}

/** The Argo CD Applications of the observability practice, by file name under `<gitops.dir>/argocd/apps/`. */
export function observabilityApplications(spec: Spec, collectorPath: string): Record<string, Obj> {
  const mon = spec.monitoring.namespace;
  return {
    'otel-collector.yaml': platformApplication(
      spec,
      'otel-collector',
      spec.observability.namespace,
      { repoURL: repoURL(spec), path: collectorPath, targetRevision: spec.project.defaultBranch },
      [],
    ),
    // ServerSideApply: the operator's CRDs exceed the client-side annotation size limit.
    'kube-prometheus-stack.yaml': platformApplication(
      spec,
      prometheusRelease(spec),
      mon,
      chartSource(CHARTS.kubePrometheusStack, prometheusRelease(spec), kubePrometheusStackValues(spec)),
      ['CreateNamespace=true', 'ServerSideApply=true'],
    ),
    'loki.yaml': platformApplication(spec, 'loki', mon, chartSource(CHARTS.loki, CHARTS.loki.releaseName, lokiValues()), ['CreateNamespace=true']),
    'tempo.yaml': platformApplication(spec, 'tempo', mon, chartSource(CHARTS.tempo, CHARTS.tempo.releaseName, tempoValues()), ['CreateNamespace=true']),
  };
}

