import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SchemaNode } from './validate-schema.js';

/** The shipped JSON Schema for devops.yaml (schema/devops.schema.json in the package). */
export const SCHEMA_PATH = fileURLToPath(new URL('../../schema/devops.schema.json', import.meta.url));

let cached: SchemaNode | undefined;
export function loadSchema(): SchemaNode {
  cached ??= JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as SchemaNode;
  return cached;
}
