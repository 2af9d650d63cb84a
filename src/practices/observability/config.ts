import type { ObjectSchemaFor, PracticeConfig } from '../../spec/config.js';
import { NAME } from '../../spec/patterns.js';
import type { SchemaNode } from '../../spec/validate-schema.js';

export interface ObservabilityConfig {
  /** otelcol-contrib release; component names in the collector config follow it. */
  collectorVersion: string;
  /** Namespace of the OpenTelemetry Collector (Service `otel-collector`). */
  namespace: string;
  /** Share of new traces kept by services (OTEL_TRACES_SAMPLER_ARG), 0–1; child spans follow their parent. */
  samplingRatio: number;
  /** Added as `k8s.cluster.name` to telemetry that lacks it; omit for single-cluster setups. */
  clusterName?: string;
}

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    collectorVersion: { type: 'string', pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$', description: 'otelcol-contrib release, e.g. 0.147.0; the collector config uses the component names of that release.' },
    namespace: { type: 'string', pattern: NAME, description: 'Namespace of the OpenTelemetry Collector (Service otel-collector).' },
    samplingRatio: { type: 'number', minimum: 0, maximum: 1, description: 'Share of new traces services keep (parent-based trace-id ratio), 0 to 1.' },
    clusterName: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$', description: 'Added as k8s.cluster.name to telemetry that lacks it.' },
  },
} satisfies ObjectSchemaFor<ObservabilityConfig>;

export function observabilityDefaults(): ObservabilityConfig {
  return { collectorVersion: '0.147.0', namespace: 'observability', samplingRatio: 1 };
}

export const observabilityConfig: PracticeConfig = {
  practice: 'observability',
  requires: [],
  after: ['gitops'],
  section: { key: 'observability', schema: schema as SchemaNode, defaults: observabilityDefaults },
};
