import { plainWhenSafe } from '../model/yaml-data.js';
import { yamlComment } from '../render/quote.js';
import { emitYaml } from '../render/yaml-emit.js';

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

/**
 * Text of a new devops.yaml: schema pointer, a short header, then the spec. Written by the
 * YAML emitter (the yaml library's Document writer took a fifth of a 300-service init), in the
 * same layout, strings plain wherever block YAML reads them back unchanged; init then parses
 * the text back exactly as it would a hand-written file.
 */
export function newSpecText(raw: Record<string, unknown>): string {
  const header = [
    schemaComment(),
    'devops.yaml: the single source of truth for every file devops-init generates.',
    'Edit it, then run `npx devops-init sync`; `npx devops-init check` runs in CI.',
  ];
  return `${header.map((l) => yamlComment(l)).join('\n')}\n\n${emitYaml(plainStrings(ordered(raw)))}\n`;
}

/** Every string asks to be written plain (the emitter quotes any that would not read back). */
function plainStrings(v: unknown): unknown {
  if (typeof v === 'string') return plainWhenSafe(v);
  if (Array.isArray(v)) return v.map(plainStrings);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainStrings(x)]));
  return v;
}

const KEY_ORDER = ['version', 'project', 'practices', 'ci', 'gitops', 'iac', 'monitoring', 'observability', 'logging', 'incident', 'services'];

/** Top-level keys in reading order: project settings first, services (the long part) last. */
function ordered(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEY_ORDER) if (k in raw) out[k] = raw[k];
  for (const [k, v] of Object.entries(raw)) if (!(k in out)) out[k] = v;
  return out;
}
