import { LANGUAGES, PACKAGE_MANAGERS, PRACTICE_IDS, SERVICE_KINDS } from './types.js';
import { NAME, REL_PATH, str } from './patterns.js';
import { PRACTICE_CONFIGS } from './sections.js';
import type { SchemaNode } from './validate-schema.js';

/**
 * services[].start: words separated by single spaces, each free of whitespace, quotes, backslashes
 * and shell syntax ($ ; & | < > `): the Dockerfile runs it in exec form, where no shell would
 * expand or strip them. Keep in step with START_TOKEN in src/detect/start.ts.
 */
const HTTP_PATH = '^/[A-Za-z0-9._~/-]*$';
const START = '^[^\\s"\'`\\\\$;&|<>\\x00]+( [^\\s"\'`\\\\$;&|<>\\x00]+)*$';

/** The service keys devops.yaml itself owns; practices add theirs (deploy, slos, metrics, team). */
const SERVICE_CORE: Record<string, SchemaNode> = {
  name: { type: 'string', pattern: NAME, description: 'DNS-1123 label: lowercase letters, digits and "-", starting with a letter, at most 40 characters.' },
  path: { type: 'string', pattern: REL_PATH, description: 'Folder of the service relative to the repository root ("." for the root).' },
  kind: { enum: [...SERVICE_KINDS], description: 'web (HTTP, the default), grpc, worker (no listening port: no Service, no request SLOs), job or cronjob (run to completion).' },
  language: { enum: [...LANGUAGES], description: 'node, python, go and java get a seeded Dockerfile and zero-code OpenTelemetry; other languages (and container: a Dockerfile-only image) build from the repository\'s own Dockerfile.' },
  version: { type: 'string', pattern: '^[0-9][0-9A-Za-z.+-]*$', description: 'Runtime version, e.g. "22", "3.12", "1.23", "21".' },
  packageManager: { enum: [...PACKAGE_MANAGERS] },
  port: { type: 'integer', minimum: 1, maximum: 65535 },
  healthPath: { type: 'string', pattern: HTTP_PATH, description: 'HTTP path the liveness and readiness probes GET (default /healthz); probes.path wins when set.' },
  probes: {
    type: 'object',
    additionalProperties: false,
    required: ['type'],
    properties: {
      type: { enum: ['http', 'grpc', 'tcp', 'none'], description: 'http (GET a path), grpc (grpc.health.v1), tcp (the port accepts connections) or none. Default: http for web, grpc for grpc, none for workers and jobs.' },
      path: { type: 'string', pattern: HTTP_PATH, description: 'http: the liveness path (and readiness path unless readinessPath is set).' },
      readinessPath: { type: 'string', pattern: HTTP_PATH, description: 'http: a separate readiness path, e.g. /actuator/health/readiness.' },
      port: { type: 'integer', minimum: 1, maximum: 65535, description: 'A port other than the service port to probe, e.g. a management port.' },
    },
  },
  commands: {
    type: 'object',
    additionalProperties: false,
    properties: {
      install: str(),
      lint: str(),
      test: str(),
      build: str(),
      prebuild: str({ description: 'Runs in CI before docker build, from the build context, when the Dockerfile copies build output (e.g. npx nx build api, mvn -B -DskipTests package).' }),
    },
  },
  dockerfile: { type: 'string', pattern: REL_PATH },
  start: {
    type: 'string', pattern: START,
    description: 'The command the container runs, e.g. "node src/server.js" or "uvicorn app.main:app --host 0.0.0.0 --port 8000". One line of words separated by single spaces; it becomes the Dockerfile\'s exec-form CMD, so there is no shell: no quotes, no $VARIABLES, no && or pipes. Run the server directly (not through npm) so it receives SIGTERM. Unset: the seeded Dockerfile keeps its stack\'s convention (npm start, bun run start, the Go binary, the jar) and Python fails with a message asking for it.',
  },
  workspaceRoot: { type: 'string', pattern: REL_PATH, description: 'Node workspace members only: folder of the workspace root holding the lockfile ("." for the repository root). CI installs there and builds the image from it.' },
  buildContext: { type: 'string', pattern: REL_PATH, description: 'Folder docker build runs in (every COPY source is relative to it). Default: the service folder, or the workspace root for workspace members.' },
  schedule: { type: 'string', pattern: '^[0-9*/,@a-z -]+$', description: 'cronjob only: when it runs (cron syntax, UTC), e.g. "0 3 * * *".' },
  requiredEnv: {
    type: 'array', uniqueItems: true, items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    description: 'Environment variables the service reads without a default. Each comes from the key of the same name in the Secret <service>-config, which you create (docs/gitops.md); the pod does not start without it.',
  },
};

/**
 * The JSON Schema of devops.yaml: its own keys plus every practice's fragment, in the order
 * devops.yaml lists them. The build writes it to schema/devops.schema.json for editors; a test
 * checks the committed file is exactly this.
 */
export function composeSchema(): SchemaNode {
  const sections: Record<string, SchemaNode> = {};
  for (const c of PRACTICE_CONFIGS) if (c.section) sections[c.section.key] = c.section.schema;
  const serviceKeys: Record<string, SchemaNode> = { ...SERVICE_CORE };
  for (const c of PRACTICE_CONFIGS) Object.assign(serviceKeys, c.service?.schema ?? {});
  return {
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
          repository: { type: 'string', pattern: '^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$', description: 'The repository\'s path on its forge: GitHub owner/repo, GitLab group[/subgroup]/project.' },
          defaultBranch: { type: 'string', pattern: '^[A-Za-z0-9._/-]+$' },
          linters: {
            type: 'array', uniqueItems: true, items: { enum: ['yamllint', 'markdownlint'] },
            description: 'Linters this repository runs over its files (init reads .yamllint / .markdownlint*). Generated YAML and markdown then start with the linter\'s skip-file comment, so they never fail your lint: their checks are devops-init\'s validators.',
          },
        },
      },
      practices: { type: 'array', uniqueItems: true, items: { enum: [...PRACTICE_IDS] } },
      ...sections,
      services: {
        type: 'array',
        minItems: 1,
        items: { type: 'object', additionalProperties: false, required: ['name', 'path', 'language'], properties: serviceKeys },
      },
    },
  } as SchemaNode;
}

let cached: SchemaNode | undefined;
/** The schema devops.yaml is validated against (composed once per process). */
export function loadSchema(): SchemaNode {
  cached ??= composeSchema();
  return cached;
}

/** Top-level keys in the order devops.yaml lists them: the schema's. */
export function topLevelKeyOrder(): string[] {
  return Object.keys(loadSchema().properties ?? {});
}
