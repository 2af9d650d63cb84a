import { LANGUAGES, PACKAGE_MANAGERS, PRACTICE_IDS } from './types.js';
import { NAME, REL_PATH, str } from './patterns.js';
import { PRACTICE_CONFIGS } from './sections.js';
import type { SchemaNode } from './validate-schema.js';

/**
 * services[].start: words separated by single spaces, each free of whitespace, quotes, backslashes
 * and shell syntax ($ ; & | < > `): the Dockerfile runs it in exec form, where no shell would
 * expand or strip them. Keep in step with START_TOKEN in src/detect/start.ts.
 */
const START = '^[^\\s"\'`\\\\$;&|<>\\x00]+( [^\\s"\'`\\\\$;&|<>\\x00]+)*$';

/** The service keys devops.yaml itself owns; practices add theirs (deploy, slos, metrics, team). */
const SERVICE_CORE: Record<string, SchemaNode> = {
  name: { type: 'string', pattern: NAME, description: 'DNS-1123 label: lowercase letters, digits and "-", starting with a letter, at most 40 characters.' },
  path: { type: 'string', pattern: REL_PATH, description: 'Folder of the service relative to the repository root ("." for the root).' },
  language: { enum: [...LANGUAGES] },
  version: { type: 'string', pattern: '^[0-9][0-9A-Za-z.+-]*$', description: 'Runtime version, e.g. "22", "3.12", "1.23", "21".' },
  packageManager: { enum: [...PACKAGE_MANAGERS] },
  port: { type: 'integer', minimum: 1, maximum: 65535 },
  healthPath: { type: 'string', pattern: '^/[A-Za-z0-9._~/-]*$' },
  commands: {
    type: 'object',
    additionalProperties: false,
    properties: { install: str(), lint: str(), test: str(), build: str() },
  },
  dockerfile: { type: 'string', pattern: REL_PATH },
  start: {
    type: 'string', pattern: START,
    description: 'The command the container runs, e.g. "node src/server.js" or "uvicorn app.main:app --host 0.0.0.0 --port 8000". One line of words separated by single spaces; it becomes the Dockerfile\'s exec-form CMD, so there is no shell: no quotes, no $VARIABLES, no && or pipes. Run the server directly (not through npm) so it receives SIGTERM. Unset: the seeded Dockerfile keeps its stack\'s convention (npm start, bun run start, the Go binary, the jar) and Python fails with a message asking for it.',
  },
  workspaceRoot: { type: 'string', pattern: REL_PATH, description: 'Node workspace members only: folder of the workspace root holding the lockfile ("." for the repository root). CI installs there and builds the image from it.' },
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
