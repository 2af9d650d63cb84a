import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateSchema, type SchemaNode } from '../../src/spec/validate-schema.js';

// Our run-time validator implements a subset of JSON Schema; Ajv (a real validator) is the
// reference. Both must agree on what is valid.
const schema = JSON.parse(readFileSync(new URL('../../schema/devops.schema.json', import.meta.url), 'utf8')) as SchemaNode;
const ajv = new Ajv({ allErrors: true, strict: false });
const ajvValidate = ajv.compile(schema);

const base = () => ({
  version: 1,
  project: { name: 'shop', repository: 'acme/shop' },
  practices: ['ci', 'gitops'],
  services: [{ name: 'api', path: 'services/api', language: 'go', port: 8080, slos: [{ name: 'availability', kind: 'availability', objective: 99.9 }] }],
});

const cases: [string, (d: any) => void][] = [
  ['valid', () => {}],
  ['unknown top-level key', (d) => (d.extra = 1)],
  ['bad version', (d) => (d.version = 2)],
  ['bad practice', (d) => d.practices.push('chaos')],
  ['duplicate practice', (d) => d.practices.push('ci')],
  ['bad name', (d) => (d.services[0].name = 'Bad Name')],
  ['traversal path', (d) => (d.services[0].path = '../x')],
  ['absolute path', (d) => (d.services[0].path = '/x')],
  ['objective 100', (d) => (d.services[0].slos[0].objective = 100)],
  ['objective string', (d) => (d.services[0].slos[0].objective = '99.9')],
  ['port float', (d) => (d.services[0].port = 80.5)],
  ['no services', (d) => (d.services = [])],
  ['missing project', (d) => delete d.project],
  ['newline in command', (d) => (d.services[0].commands = { test: 'a\nb' })],
  ['ecr settings', (d) => (d.ci = { registry: 'ecr', aws: { region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/gha' } })],
  ['bad role arn', (d) => (d.ci = { registry: 'ecr', aws: { region: 'eu-west-1', roleArn: 'nope' } })],
  // Keys named like Object.prototype members are own keys (as YAML and JSON.parse make them): unknown.
  ['__proto__ at the top', (d) => own(d, '__proto__', { x: 1 })],
  ['__proto__ in ci', (d) => (d.ci = own({ registry: 'ecr' }, '__proto__', { aws: { region: 'x', roleArn: 'nope' } }))],
  ['constructor in a service', (d) => own(d.services[0], 'constructor', 1)],
  ['toString in an SLO', (d) => own(d.services[0].slos[0], 'toString', 'x')],
  ['hasOwnProperty in project', (d) => own(d.project, 'hasOwnProperty', true)],
  ['required met only by inherited names', (d) => (d.ci = { registry: 'ecr', aws: own(own({}, 'constructor', 1), 'toString', 2) })],
  // propertyNames and schema-valued additionalProperties (metrics.selector).
  ['selector ok', (d) => (d.services[0].metrics = { selector: { deployment_environment_name: 'production', team: 'a b' } })],
  ['selector key injection', (d) => (d.services[0].metrics = { selector: { 'x="y"} or vector(1) or up{z': 'v' } })],
  ['selector key with a dash', (d) => (d.services[0].metrics = { selector: { 'a-b': 'v' } })],
  ['selector __proto__ key', (d) => (d.services[0].metrics = { selector: own({}, '__proto__', 'v') })],
  ['selector value a number', (d) => (d.services[0].metrics = { selector: { env: 1 } })],
  ['selector value with a newline', (d) => (d.services[0].metrics = { selector: { env: 'a\nb' } })],
  ['selector empty', (d) => (d.services[0].metrics = { selector: {} })],
];

/** Set an own property, even one named __proto__ (as a parser does). */
function own(o: any, key: string, value: unknown): any {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  return o;
}

describe('run-time schema validator agrees with Ajv', () => {
  it.each(cases)('%s', (_name, mutate) => {
    const doc = base();
    mutate(doc);
    const ours = validateSchema(schema, doc);
    const theirs = ajvValidate(doc);
    expect(ours.length === 0).toBe(theirs);
  });

  it('our validator implements every keyword the schema uses (so none is silently ignored)', () => {
    const supported = new Set(['type', 'enum', 'const', 'pattern', 'required', 'additionalProperties', 'properties', 'propertyNames', 'items', 'minItems', 'uniqueItems', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);
    const annotations = new Set(['$schema', '$id', 'title', 'description', 'default', 'examples']);
    const used = new Set<string>();
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object' || Array.isArray(node)) return;
      for (const [k, v] of Object.entries(node)) {
        used.add(k);
        if (k === 'properties') for (const sub of Object.values(v as object)) walk(sub);
        else if (k === 'items' || k === 'propertyNames' || (k === 'additionalProperties' && typeof v === 'object')) walk(v);
      }
    };
    walk(schema);
    expect([...used].filter((k) => !supported.has(k) && !annotations.has(k))).toEqual([]);
    expect(used.has('propertyNames')).toBe(true);
  });

  it('the schema itself compiles under Ajv strict mode', () => {
    expect(() => new Ajv({ strict: true, allowUnionTypes: true }).compile(schema)).not.toThrow();
  });
});
