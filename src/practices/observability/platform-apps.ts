import { NAMESPACE_ATTRIBUTE, POD_TEMPLATE_HASH_ATTRIBUTE } from '../../model/telemetry.js';
import type { Model } from '../../model/types.js';
import { plain, quoted } from '../../model/yaml-data.js';
import type { Spec } from '../../spec/types.js';
import { CHARTS, GRAFANA_DASHBOARD_LABEL, backendEndpoints, prometheusRelease, type PinnedChart } from './charts.js';
import { lokiBase } from './collector-config.js';

type Obj = Record<string, unknown>;

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
 * (everything to a `null` receiver). Helm merges maps but replaces lists: our route and
 * receivers replace the chart's, and so would our inhibit_rules, which is why the monitoring
 * practice restates the chart's own inhibition rules in them (CHART_INHIBIT_RULES); the chart's
 * `global.resolve_timeout` and `templates` glob stay. The config holds only file paths; the Secrets behind them are
 * mounted by the operator at /etc/alertmanager/secrets/<Secret>/<key> and created by the
 * team (docs/slos.md): nothing secret is in Git. Read at emit time from what monitoring contributed.
 */
function alertmanagerValues(model: Model): Obj | undefined {
  if (!model.alerting) return undefined;
  return {
    config: plain(model.alerting.alertmanagerConfig),
    alertmanagerSpec: { secrets: model.alerting.alertmanagerSecrets },
  };
}

/** kube-prometheus-stack: Prometheus with the OTLP receiver, Alertmanager, Grafana wired to Loki and Tempo. */
function kubePrometheusStackValues(spec: Spec, model: Model): Obj {
  const alertmanager = alertmanagerValues(model);
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
        // Turn these resource attributes into labels: the environment a service declares (for
        // dashboards), and what the collector derived from the sending pod (SLO rules select
        // production by namespace; rollout analysis compares ReplicaSets by their hash).
        otlp: { promoteResourceAttributes: ['deployment.environment.name', NAMESPACE_ATTRIBUTE, POD_TEMPLATE_HASH_ATTRIBUTE] },
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
export function observabilityApplications(spec: Spec, model: Model, collectorPath: string): Record<string, () => Obj> {
  const mon = spec.monitoring.namespace;
  const app = model.argocd!.platformApplication;
  return {
    'otel-collector.yaml': () => app('otel-collector', spec.observability.namespace, { repoURL: model.source.repoURL, path: collectorPath, targetRevision: spec.project.defaultBranch }, []),
    // ServerSideApply: the operator's CRDs exceed the client-side annotation size limit.
    'kube-prometheus-stack.yaml': () =>
      app(prometheusRelease(spec), mon, chartSource(CHARTS.kubePrometheusStack, prometheusRelease(spec), kubePrometheusStackValues(spec, model)), ['CreateNamespace=true', 'ServerSideApply=true']),
    'loki.yaml': () => app('loki', mon, chartSource(CHARTS.loki, CHARTS.loki.releaseName, lokiValues()), ['CreateNamespace=true']),
    'tempo.yaml': () => app('tempo', mon, chartSource(CHARTS.tempo, CHARTS.tempo.releaseName, tempoValues()), ['CreateNamespace=true']),
  };
}

/** Chart repositories the platform project must allow. */
export function chartRepositories(): string[] {
  return [...new Set(Object.values(CHARTS).map((c) => c.repoURL))];
}
