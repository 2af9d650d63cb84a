/**
 * Collector component type names by release. The OpenTelemetry Collector renamed
 * components to lower_snake_case in 2026: the old names stay as deprecated aliases on
 * new releases, but the new names do not exist on older ones — so the config must use
 * the names of the release it runs on.
 */

/** The component types our collector config uses. */
export interface ComponentNames {
  otlpReceiver: string;
  otlpGrpcExporter: string;
  otlpHttpExporter: string;
  k8sAttributesProcessor: string;
  memoryLimiterProcessor: string;
  resourceProcessor: string;
  batchProcessor: string;
  healthCheckExtension: string;
}

/** One rename: from `since` on, `key` is called `name` (before that, the older name). */
interface Rename {
  since: [number, number, number];
  key: keyof ComponentNames;
  name: string;
}

const BASE: ComponentNames = {
  otlpReceiver: 'otlp',
  otlpGrpcExporter: 'otlp',
  otlpHttpExporter: 'otlphttp',
  k8sAttributesProcessor: 'k8sattributes',
  memoryLimiterProcessor: 'memory_limiter',
  resourceProcessor: 'resource',
  batchProcessor: 'batch',
  healthCheckExtension: 'health_check',
};

/**
 * Renames in release order. Sources: collector core v0.144.0 release notes (exporter
 * renames, PRs #14397 and #14403) and contrib v0.146.0 (processor rename, PR #45901).
 * The OTLP *receiver* keeps the name `otlp`: it serves both protocols.
 */
const RENAMES: Rename[] = [
  { since: [0, 144, 0], key: 'otlpGrpcExporter', name: 'otlp_grpc' },
  { since: [0, 144, 0], key: 'otlpHttpExporter', name: 'otlp_http' },
  { since: [0, 146, 0], key: 'k8sAttributesProcessor', name: 'k8s_attributes' },
];

function parseVersion(v: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  if (!m) throw new Error(`collector version ${JSON.stringify(v)} is not MAJOR.MINOR.PATCH`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function atLeast(v: [number, number, number], min: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) {
    if (v[i]! !== min[i]!) return v[i]! > min[i]!;
  }
  return true;
}

/** The component type names valid on otelcol-contrib `version`. */
export function componentNames(version: string): ComponentNames {
  const v = parseVersion(version);
  const names = { ...BASE };
  for (const r of RENAMES) if (atLeast(v, r.since)) names[r.key] = r.name;
  return names;
}

/** The collector image for a release; contrib carries k8sattributes and the OTLP exporters. */
export function collectorImage(version: string): string {
  return `otel/opentelemetry-collector-contrib:${version}`;
}
