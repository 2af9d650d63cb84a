import Ajv from 'ajv';
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
];

describe('run-time schema validator agrees with Ajv', () => {
  it.each(cases)('%s', (_name, mutate) => {
    const doc = base();
    mutate(doc);
    const ours = validateSchema(schema, doc);
    const theirs = ajvValidate(doc);
    expect(ours.length === 0).toBe(theirs);
  });

  it('the schema itself compiles under Ajv strict mode', () => {
    expect(() => new Ajv({ strict: true, allowUnionTypes: true }).compile(schema)).not.toThrow();
  });
});
