import { Document } from 'yaml';
import { VERSION } from '../version.js';

/** The editor hint on line 1: YAML language servers validate and complete from the schema. */
export function schemaComment(version = VERSION): string {
  return `yaml-language-server: $schema=https://unpkg.com/devops-init@${version}/schema/devops.schema.json`;
}

/** Text of a new devops.yaml: schema pointer, a short header, then the spec. */
export function newSpecText(raw: Record<string, unknown>): string {
  const doc = new Document(raw);
  doc.commentBefore = [
    schemaComment().trimStart(),
    ' devops.yaml: the single source of truth for every file devops-init generates.',
    ' Edit it, then run `npx devops-init sync`; `npx devops-init check` runs in CI.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}
