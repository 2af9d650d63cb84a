import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeSchema, topLevelKeyOrder } from '../../src/spec/schema.js';
import { PRACTICE_CONFIGS } from '../../src/spec/sections.js';
import { normalizeSpec } from '../../src/spec/normalize.js';
import type { SchemaNode } from '../../src/spec/validate-schema.js';

/**
 * The spec's contract in three places must agree: the JSON Schema users' editors read
 * (schema/devops.schema.json, composed from the practices' fragments), the TypeScript types
 * (checked at compile time: each fragment `satisfies ObjectSchemaFor<ItsType>`), and the
 * defaults normalize fills in (checked here: every default key is in the schema, in its order).
 */

const minimal = { version: 1, project: { name: 'shop', repository: 'acme/shop' }, services: [{ name: 'api', path: '.', language: 'node' }] };

/** Keys of `value` present in `schema` in the schema's order, recursively; returns problems. */
function checkAgainst(schema: SchemaNode, value: unknown, path: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !schema.properties) return [];
  const problems: string[] = [];
  const props = Object.keys(schema.properties);
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
  for (const k of keys) if (!props.includes(k)) problems.push(`${path}.${k} is a default but not in the schema`);
  const ordered = props.filter((k) => keys.includes(k));
  if (JSON.stringify(ordered) !== JSON.stringify(keys.filter((k) => props.includes(k)))) problems.push(`${path}: defaults list ${keys.join(', ')}; the schema orders them ${ordered.join(', ')}`);
  for (const k of keys) if (schema.properties[k]) problems.push(...checkAgainst(schema.properties[k]!, (value as Record<string, unknown>)[k], `${path}.${k}`));
  return problems;
}

describe('devops.yaml schema', () => {
  it('the committed schema/devops.schema.json is the composed schema (npm run build writes it)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../schema/devops.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(composeSchema());
  });

  it('every practice section and service key comes from exactly one practice', () => {
    const seen = new Map<string, string>();
    for (const c of PRACTICE_CONFIGS) {
      for (const key of [c.section?.key, ...Object.keys(c.service?.schema ?? {}).map((k) => `services[].${k}`)]) {
        if (!key) continue;
        expect(seen.get(key), `${key} is owned by ${seen.get(key)} and ${c.practice}`).toBeUndefined();
        seen.set(key, c.practice);
      }
    }
  });

  it('defaults name only schema keys, in the schema\'s order (devops.yaml and the schema read the same way)', () => {
    const spec = normalizeSpec(minimal);
    expect(checkAgainst(composeSchema(), spec, 'spec')).toEqual([]);
    const service = composeSchema().properties!['services']!.items!;
    expect(checkAgainst(service, spec.services[0], 'services[0]')).toEqual([]);
  });

  it('devops.yaml lists its sections in the schema\'s order', () => {
    expect(topLevelKeyOrder()).toEqual(['version', 'project', 'practices', 'ci', 'gitops', 'iac', 'observability', 'monitoring', 'logging', 'incident', 'services']);
  });

  it('a checker that can fail: a default missing from the schema and one out of order are reported', () => {
    const schema: SchemaNode = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } };
    expect(checkAgainst(schema, { b: 'x', a: 'y', c: 'z' }, 'x')).toEqual(['x.c is a default but not in the schema', 'x: defaults list b, a, c; the schema orders them a, b']);
  });
});
