// Writes schema/devops.schema.json. Kept as code so the enum lists and patterns have one home.
// Run: node scripts/gen-schema.mjs (the build runs it; the file is committed for editors).
import { writeFileSync } from 'node:fs';

const PRACTICES = ['ci', 'gitops', 'deploy', 'iac', 'observability', 'monitoring', 'logging', 'incident'];
const NAME = '^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$';
const REL_PATH = '^(\\.|(?!/)(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._@/-]+)$';
const SAFE_TEXT = '^[^\\n\\r\\x00]*$';
const str = (extra = {}) => ({ type: 'string', pattern: SAFE_TEXT, ...extra });
// services[].start: words separated by single spaces, each free of whitespace, quotes, backslashes
// and shell syntax ($ ; & | < > `): the Dockerfile runs it in exec form, where no shell would
// expand or strip them. Keep in step with START_TOKEN in src/detect/start.ts.
const START = '^[^\\s"\'`\\\\$;&|<>\\x00]+( [^\\s"\'`\\\\$;&|<>\\x00]+)*$';

const slo = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind', 'objective'],
  properties: {
    name: { type: 'string', pattern: NAME, description: 'SLO name, e.g. availability or checkout-latency.' },
    kind: { enum: ['availability', 'latency'] },
    objective: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 100, description: 'Target percentage, e.g. 99.9.' },
    thresholdMs: { type: 'integer', minimum: 1, description: 'Latency SLOs: requests under this many milliseconds are good. Must be a histogram bucket boundary (metrics.latencyBuckets); the default SLO uses 250, an OpenTelemetry default boundary.' },
    description: str(),
  },
};

const range = {
  type: 'object',
  additionalProperties: false,
  required: ['min', 'max'],
  properties: { min: { type: 'integer', minimum: 1 }, max: { type: 'integer', minimum: 1 } },
};

const service = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'path', 'language'],
  properties: {
    name: { type: 'string', pattern: NAME, description: 'DNS-1123 label: lowercase letters, digits and "-", starting with a letter, at most 40 characters.' },
    path: { type: 'string', pattern: REL_PATH, description: 'Folder of the service relative to the repository root ("." for the root).' },
    language: { enum: ['node', 'python', 'go', 'java'] },
    version: { type: 'string', pattern: '^[0-9][0-9A-Za-z.+-]*$', description: 'Runtime version, e.g. "22", "3.12", "1.23", "21".' },
    packageManager: { enum: ['npm', 'pnpm', 'yarn', 'bun', 'uv', 'poetry', 'pip', 'go', 'maven', 'gradle'] },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    healthPath: { type: 'string', pattern: '^/[A-Za-z0-9._~/-]*$' },
    dockerfile: { type: 'string', pattern: REL_PATH },
    start: {
      type: 'string', pattern: START,
      description: 'The command the container runs, e.g. "node src/server.js" or "uvicorn app.main:app --host 0.0.0.0 --port 8000". One line of words separated by single spaces; it becomes the Dockerfile\'s exec-form CMD, so there is no shell: no quotes, no $VARIABLES, no && or pipes. Run the server directly (not through npm) so it receives SIGTERM. Unset: the seeded Dockerfile keeps its stack\'s convention (npm start, bun run start, the Go binary, the jar) and Python fails with a message asking for it.',
    },
    workspaceRoot: { type: 'string', pattern: REL_PATH, description: 'Node workspace members only: folder of the workspace root holding the lockfile ("." for the repository root). CI installs there and builds the image from it.' },
    team: { type: 'string', pattern: NAME },
    commands: {
      type: 'object',
      additionalProperties: false,
      properties: { install: str(), lint: str(), test: str(), build: str() },
    },
    deploy: {
      type: 'object',
      additionalProperties: false,
      properties: {
        strategy: { enum: ['rolling', 'bluegreen', 'canary'] },
        featureFlags: { type: 'boolean' },
        replicas: {
          type: 'object',
          additionalProperties: false,
          properties: { staging: range, production: range },
        },
        resources: {
          type: 'object',
          additionalProperties: false,
          properties: {
            cpu: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?m?$' },
            memory: { type: 'string', pattern: '^[0-9]+(Ki|Mi|Gi)$' },
            memoryLimit: { type: 'string', pattern: '^[0-9]+(Ki|Mi|Gi)$' },
          },
        },
      },
    },
    slos: { type: 'array', items: slo },
    metrics: {
      type: 'object',
      additionalProperties: false,
      properties: {
        requestDuration: { type: 'string', pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$' },
        statusLabel: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' },
        serviceLabel: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' },
        latencyBuckets: {
          type: 'array', minItems: 1, uniqueItems: true, items: { type: 'number', exclusiveMinimum: 0 },
          description: 'Upper bounds in seconds of the request-duration histogram the service exports (ascending). Latency SLO thresholds must be one of them; the default is exactly OpenTelemetry\'s default list (0.005 … 10, no 0.3). Add a boundary only together with an OTel View in the app that declares it (see docs/slos.md).',
        },
        selector: {
          type: 'object', propertyNames: { pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }, additionalProperties: str(),
          description: 'Extra label matchers (label: exact value) for this service\'s series, e.g. {deployment_environment_name: production}. Default: production only when the observability practice is on.',
        },
      },
    },
  },
};

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://devops-init.dev/schema/devops.schema.json',
  title: 'devops.yaml',
  description: 'The single source of truth devops-init renders every generated file from.',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'project', 'services'],
  properties: {
    version: { const: 1 },
    project: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'repository'],
      properties: {
        name: { type: 'string', pattern: NAME },
        repository: { type: 'string', pattern: '^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$', description: 'GitHub owner/repo.' },
        defaultBranch: { type: 'string', pattern: '^[A-Za-z0-9._/-]+$' },
      },
    },
    practices: { type: 'array', uniqueItems: true, items: { enum: PRACTICES } },
    ci: {
      type: 'object',
      additionalProperties: false,
      properties: {
        registry: { enum: ['ghcr', 'ecr', 'gar', 'acr'] },
        signing: { enum: ['cosign', 'attestation'] },
        runner: { type: 'string', pattern: '^[a-z0-9.-]+$' },
        aws: {
          type: 'object', additionalProperties: false, required: ['region', 'roleArn'],
          properties: { region: { type: 'string', pattern: '^[a-z0-9-]+$' }, roleArn: { type: 'string', pattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$' } },
        },
        gcp: {
          type: 'object', additionalProperties: false, required: ['location', 'project', 'workloadIdentityProvider', 'serviceAccount'],
          properties: {
            location: { type: 'string', pattern: '^[a-z0-9-]+$' },
            project: { type: 'string', pattern: '^[a-z][a-z0-9-]{4,28}[a-z0-9]$' },
            workloadIdentityProvider: { type: 'string', pattern: '^projects/[0-9]+/locations/global/workloadIdentityPools/[a-z0-9-]+/providers/[a-z0-9-]+$' },
            serviceAccount: { type: 'string', pattern: '^[a-z0-9-]+@[a-z0-9-]+\\.iam\\.gserviceaccount\\.com$' },
          },
        },
        azure: {
          type: 'object', additionalProperties: false, required: ['registry', 'clientId', 'tenantId', 'subscriptionId'],
          properties: {
            registry: { type: 'string', pattern: '^[a-z0-9]{5,50}$' },
            clientId: { type: 'string', pattern: '^[0-9a-f-]{36}$' },
            tenantId: { type: 'string', pattern: '^[0-9a-f-]{36}$' },
            subscriptionId: { type: 'string', pattern: '^[0-9a-f-]{36}$' },
          },
        },
      },
    },
    gitops: {
      type: 'object',
      additionalProperties: false,
      properties: {
        dir: {
          type: 'string',
          // REL_PATH minus "." (and "./", "./x", "/"): CI's paths-ignore holds <dir>/**, so the
          // repository root would make CI ignore every change.
          pattern: '^(?!\\.?/*$)(?!\\./)(?!/)(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._@/-]+$',
          description: 'Folder (relative to the repository root) for the Kustomize bases/overlays and Argo CD objects, e.g. "deploy". Must be a sub-folder, not "." or "./x": CI ignores changes under it (so merged promotions do not rebuild images), and the root would make CI ignore every change.',
        },
        argocdNamespace: { type: 'string', pattern: NAME },
        productionSync: { enum: ['automated', 'manual'] },
        previews: { type: 'boolean' },
        promotion: { enum: ['app-token', 'pull-request'] },
      },
    },
    monitoring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        namespace: { type: 'string', pattern: NAME },
        grafanaUrl: { type: 'string', pattern: '^https?://[^\\s"\'`$\\\\]+$' },
        runbookBaseUrl: { type: 'string', pattern: '^https?://[^\\s"\'`$\\\\]+$' },
        pagerduty: { type: 'object', additionalProperties: false, properties: { routingKeyFile: { type: 'string', pattern: '^/[A-Za-z0-9._/-]+$', description: 'File in the Alertmanager pod holding the PagerDuty Events API v2 key. Default /etc/alertmanager/secrets/alertmanager-pagerduty/routing-key: Secret alertmanager-pagerduty, key routing-key, which the operator mounts at /etc/alertmanager/secrets/<Secret>/<key>.' } } },
        slack: {
          type: 'object', additionalProperties: false,
          properties: {
            apiUrlFile: { type: 'string', pattern: '^/[A-Za-z0-9._/-]+$', description: 'File in the Alertmanager pod holding the Slack webhook URL. Default /etc/alertmanager/secrets/alertmanager-slack/api-url (Secret alertmanager-slack, key api-url).' },
            defaultChannel: { type: 'string', pattern: '^#[a-z0-9_-]+$' },
          },
        },
        minRequestRate: { type: 'number', minimum: 0, description: 'Low-traffic guard: a burn-rate page needs at least this many requests per second over the alert\'s long window (default 0.1 = 360 per hour).' },
        prometheusRelease: { type: 'string', pattern: NAME, description: 'Helm release name of kube-prometheus-stack; PrometheusRules get the label release=<this> so its ruleSelector picks them up.' },
      },
    },
    observability: {
      type: 'object',
      additionalProperties: false,
      properties: {
        collectorVersion: { type: 'string', pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$', description: 'otelcol-contrib release, e.g. 0.147.0; the collector config uses the component names of that release.' },
        namespace: { type: 'string', pattern: NAME, description: 'Namespace of the OpenTelemetry Collector (Service otel-collector).' },
        samplingRatio: { type: 'number', minimum: 0, maximum: 1, description: 'Share of new traces services keep (parent-based trace-id ratio), 0 to 1.' },
        clusterName: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$', description: 'Added as k8s.cluster.name to telemetry that lacks it.' },
      },
    },
    logging: {
      type: 'object',
      additionalProperties: false,
      properties: {
        lokiUrl: { type: 'string', pattern: '^https?://[^\\s"\'`$\\\\]+$', description: 'Base URL of Loki (its gateway), e.g. http://loki-gateway.monitoring.svc.' },
        namespace: { type: 'string', pattern: NAME, description: 'Namespace of the Fluent Bit DaemonSet (needs the privileged Pod Security level: it reads host log files).' },
      },
    },
    services: { type: 'array', minItems: 1, items: service },
  },
};

writeFileSync(new URL('../schema/devops.schema.json', import.meta.url), JSON.stringify(schema, null, 2) + '\n');
