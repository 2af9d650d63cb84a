import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderTemplate, TEMPLATES_DIR } from '../../src/render/engine.js';
import { compileSerializerOnly, FALLBACK, isSerializerOnly } from '../../src/render/serializer-only.js';

// Templates the render engine does not parse again (src/render/serializer-only.ts): the rule
// that admits them, and a proof that what they render is valid YAML for awkward data.

const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.hbs') ? [join(d, e.name)] : []));
const SHIPPED = walk(TEMPLATES_DIR).map((f) => [relative(TEMPLATES_DIR, f), readFileSync(f, 'utf8')] as const);
const AWKWARD = ['a: b', '#x', '---', '- y', 'multi\nline\n---\n', '{{x}}', "'q", '"dq', 'yes', '', ' lead', 'tab\tin', 'sum(rate(x{a="b"}[5m]))'];

describe('serializer-only templates', () => {
  it('admits only toYaml lines, each/unless/--- scaffolding and one-line comments of {{json}}', () => {
    expect(isSerializerOnly('{{toYaml value}}\n')).toBe(true);
    expect(isSerializerOnly('# for {{json service}}: rules\n{{toYaml value}}\n')).toBe(true);
    expect(isSerializerOnly('{{#each objects}}\n{{#unless @first}}\n---\n{{/unless}}\n{{toYaml this}}\n{{/each}}\n')).toBe(true);
    expect(isSerializerOnly('# {{this}}\n{{toYaml value}}\n')).toBe(false); // a raw value could hold a newline
    expect(isSerializerOnly('{{#each comments}}\n{{comment this}}\n{{/each}}\n{{toYaml value}}\n')).toBe(true); // every line of it becomes a comment
    expect(isSerializerOnly('# {{comment this}}\n{{toYaml value}}\n')).toBe(false);
    expect(isSerializerOnly('{{toYaml value compact=true}}\n')).toBe(true);
    expect(isSerializerOnly('{{toYaml value indent=2}}\n')).toBe(false);
    expect(isSerializerOnly('key: {{yaml v}}\n{{toYaml value}}\n')).toBe(false); // hand-written YAML
    expect(isSerializerOnly('x:\n  {{toYaml value indent=2}}\n')).toBe(false); // nested in template text
    expect(isSerializerOnly('# only a comment\n')).toBe(false);
  });

  it('covers the large per-service monitoring files (where the parse cost was) and not templates with hand-written YAML', () => {
    const admitted = SHIPPED.filter(([, src]) => isSerializerOnly(src)).map(([name]) => name);
    // kustomize/objects.yaml.hbs writes every Kubernetes and Argo CD object (about nine files per
    // service): parsing it back was most of a 300-service render.
    // So are the kustomizations (three per service), written as comment-and-value blocks.
    expect(admitted).toEqual(expect.arrayContaining(['monitoring/rules.yml.hbs', 'monitoring/unit-tests.yml.hbs', 'kustomize/value.yaml.hbs', 'kustomize/objects.yaml.hbs', 'kustomize/base-kustomization.yaml.hbs', 'kustomize/overlay-kustomization.yaml.hbs']));
    for (const name of ['github/service-workflow.yml.hbs', 'gitlab/pipeline.yml.hbs', 'kustomize/previews-kustomization.yaml.hbs']) expect(admitted).not.toContain(name);
  });

  it.each(SHIPPED.filter(([, src]) => isSerializerOnly(src)).map(([name]) => name))('%s renders valid YAML for awkward values', (name) => {
    const value = Object.fromEntries(AWKWARD.map((s, i) => [s || `k${i}`, { s, list: [s, { [s || 'e']: s }] }]));
    const data = { value, config: value, comments: AWKWARD, blocks: [{ comments: AWKWARD, value }, { comments: ['x\ny: z'], value: { other: AWKWARD } }], objects: [value, { kind: AWKWARD }], service: 'a\nb: "c"', path: '#x\n---', testFile: 'x\ny', spec: { monitoring: { namespace: 'ns\n- x' } } };
    const out = renderTemplate(name, data, 'out.yaml');
    const docs = parseAllDocuments(out);
    for (const d of docs) expect('errors' in d ? d.errors : []).toEqual([]);
    // A single {{toYaml value}} or {{toYaml config}} reads back as the data.
    const expr = /\{\{toYaml (value|config)\}\}/.exec(SHIPPED.find(([n]) => n === name)![1])?.[1];
    if (expr) expect(docs[0]!.toJS()).toEqual(value);
  });
});

describe('serializer-only templates rendered without Handlebars', () => {
  const SERIALIZER_ONLY = SHIPPED.filter(([, src]) => isSerializerOnly(src));
  const value = Object.fromEntries(AWKWARD.map((s, i) => [s || `k${i}`, { s, list: [s, { [s || 'e']: s }], n: i, b: i % 2 === 0, z: null }]));
  const variants: Record<string, unknown>[] = [
    { value, config: value, comments: AWKWARD, blocks: [{ comments: AWKWARD, value }, { comments: [], value: { other: AWKWARD } }], objects: [value, { kind: AWKWARD }], service: 'a\nb: "c"', spec: { monitoring: { namespace: 'ns\n- x' } } },
    // Empty and missing lists, one object, scalars where objects go.
    { value: {}, config: [], comments: [], blocks: [], objects: [{ a: 1 }], service: 'api', spec: { monitoring: { namespace: 'monitoring' } } },
    { value: 'text', config: 42, blocks: [{ comments: ['only'], value: { resources: [] } }], objects: [], service: null, spec: { monitoring: {} } },
    { value: [[1, [2]], { a: [] }], config: { x: 'yes' }, comments: 'not a list', blocks: false, objects: null, service: 7, spec: { monitoring: { namespace: undefined } } },
    // Outside the direct renderer's subset (an object to iterate, inherited properties): Handlebars renders.
    { value: Object.create({ inherited: 1 }), config: {}, comments: { a: 'x', b: 'y' }, blocks: { one: { comments: [], value: { a: 1 } } }, objects: { first: { a: 1 }, second: { b: 2 } }, service: 's', spec: Object.create({ monitoring: { namespace: 'hidden' } }) },
  ];

  it.each(SERIALIZER_ONLY.map(([name]) => name))('%s renders exactly what Handlebars renders', (name) => {
    const source = SHIPPED.find(([n]) => n === name)![1];
    for (const data of variants) {
      // An override with the template's own text always renders through Handlebars (the reference):
      // the same text, or an error from both (a lookup on nothing).
      const attempt = (override?: string) => {
        try {
          return renderTemplate(name, data, 'out.txt', override);
        } catch {
          return 'error';
        }
      };
      expect(attempt()).toBe(attempt(source));
    }
  });

  it('compiles only the serializer-only grammar and falls back outside the data it handles', () => {
    const helpers = { toYaml: (v: unknown) => `Y(${JSON.stringify(v)})`, comment: (v: unknown) => `# ${String(v)}`, json: (v: unknown) => JSON.stringify(v ?? null) };
    expect(compileSerializerOnly('key: {{yaml v}}\n{{toYaml value}}\n', helpers)).toBeUndefined();
    expect(compileSerializerOnly('{{#each a}}\n{{toYaml this}}\n', helpers)).toBeUndefined(); // unclosed
    expect(compileSerializerOnly('{{#unless @first}}\n---\n{{/unless}}\n{{toYaml value}}\n', helpers)).toBeUndefined(); // @first outside each
    const each = compileSerializerOnly('# for {{json name}}\n{{#each objects}}\n{{#unless @first}}\n---\n{{/unless}}\n{{toYaml this}}\n{{/each}}\n', helpers)!;
    expect(each({ name: 'x', objects: [1, 2] })).toBe('# for "x"\nY(1)\n---\nY(2)\n');
    expect(each({ name: 'x', objects: [] })).toBe('# for "x"\n');
    expect(each({ name: 'x', objects: { a: 1 } })).toBe(FALLBACK);
    expect(each({ name: 'x', objects: () => [1] })).toBe(FALLBACK);
    expect(each(Object.create({ name: 'x', objects: [] }))).toBe(FALLBACK);
    expect(each({ name: 'x', objects: [1, , 2] })).toBe(FALLBACK); // a hole: Handlebars skips it
    expect(compileSerializerOnly('{{toYaml a.b}}', helpers)!({ a: null })).toBe(FALLBACK); // Handlebars throws its own error
    expect(compileSerializerOnly('{{toYaml a.b}}', helpers)!({ a: { b: 1 } })).toBe('Y(1)'); // no newline at the end of the source
  });
});
