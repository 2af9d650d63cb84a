import { Document } from 'yaml';

import { SCHEMA_FILE } from './schema-file.js';

export { SCHEMA_FILE };

/**
 * The editor hint on line 1: YAML language servers validate and complete from the schema, read
 * from the copy devops-init keeps in the repository (relative to devops.yaml at the root), so
 * it works offline and always matches the version that renders the files.
 */
export function schemaComment(): string {
  return `yaml-language-server: $schema=./${SCHEMA_FILE}`;
}

/** Text of a new devops.yaml: schema pointer, a short header, then the spec. */
export function newSpecText(raw: Record<string, unknown>): string {
  const doc = new Document(ordered(raw));
  doc.commentBefore = [
    ' ' + schemaComment(),
    ' devops.yaml: the single source of truth for every file devops-init generates.',
    ' Edit it, then run `npx devops-init sync`; `npx devops-init check` runs in CI.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

const KEY_ORDER = ['version', 'project', 'practices', 'ci', 'gitops', 'iac', 'monitoring', 'observability', 'logging', 'incident', 'services'];

/** Top-level keys in reading order: project settings first, services (the long part) last. */
function ordered(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEY_ORDER) if (k in raw) out[k] = raw[k];
  for (const [k, v] of Object.entries(raw)) if (!(k in out)) out[k] = v;
  return out;
}
