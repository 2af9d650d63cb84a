import type { Spec } from '../../spec/types.js';

/**
 * Upstream Helm charts of the telemetry backends, PINNED. Argo CD installs exactly
 * these versions; nothing floats. Update them deliberately: read the chart's upgrade
 * notes, bump the version here, run the tests, and ship it in a devops-init release
 * (teams then get it through `devops-init sync`).
 *
 * Each version below is a published release (seen deployed or in the chart's own
 * repository); the values we set are the ones those versions read.
 */
export interface PinnedChart {
  /** Helm repository URL (Argo CD `source.repoURL`). */
  repoURL: string;
  chart: string;
  version: string;
  /** Helm release name (fixes in-cluster Service names); kube-prometheus-stack's comes from the spec. */
  releaseName?: string;
  /** What the chart version ships, for the docs. */
  appVersion: string;
}

export const CHARTS = {
  kubePrometheusStack: {
    repoURL: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    version: '75.6.1',
    appVersion: 'prometheus-operator v0.83.0, Prometheus 3',
  },
  loki: {
    repoURL: 'https://grafana.github.io/helm-charts',
    chart: 'loki',
    version: '6.29.0',
    releaseName: 'loki',
    appVersion: 'Loki 3.4.2',
  },
  tempo: {
    repoURL: 'https://grafana.github.io/helm-charts',
    chart: 'tempo',
    version: '1.16.1',
    releaseName: 'tempo',
    appVersion: 'Tempo 2.6.1',
  },
} as const satisfies Record<string, PinnedChart>;

/** The label the Grafana sidecar loads dashboard ConfigMaps by. */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

/**
 * The kube-prometheus-stack release name. It comes from devops.yaml
 * (monitoring.prometheusRelease) because the monitoring practice labels its
 * PrometheusRules `release: <this>` and Prometheus selects rules by that label.
 */
export function prometheusRelease(spec: Spec): string {
  return spec.monitoring.prometheusRelease;
}

/** In-cluster addresses of the backends, from the release names. */
export function backendEndpoints(spec: Spec): { prometheus: string; tempoGrpc: string; tempoHttp: string } {
  const ns = spec.monitoring.namespace;
  return {
    // kube-prometheus-stack names the Prometheus Service <release>-prometheus (when
    // the release name contains the chart name, as the default does).
    prometheus: `http://${prometheusRelease(spec)}-prometheus.${ns}.svc:9090`,
    tempoGrpc: `${CHARTS.tempo.releaseName}.${ns}.svc:4317`,
    tempoHttp: `http://${CHARTS.tempo.releaseName}.${ns}.svc:3100`,
  };
}
