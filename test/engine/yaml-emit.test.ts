import { describe, expect, it } from 'vitest';
import { parse, Scalar, stringify } from 'yaml';
import { Commented, emitYaml } from '../../src/render/yaml-emit.js';
import { yamllintRecord } from '../validators/yamllint.js';
import { haveTool } from '../validators/tool.js';
import { makeSpec } from '../helpers/spec.js';
import { PRACTICES } from '../../src/practices/index.js';
import { emitAll } from '../../src/emit/index.js';
import { computeModel } from '../../src/tree/compute.js';

const TRICKY = [
  'plain', 'with space', 'http://example.com:8080/x', 'a: b', 'ends:', '#hash', 'a #b', 'yes', 'No', 'on', 'null', '~', '', ' lead', 'trail ',
  '22', '3.12', '1e5', '0x1F', '.inf', '-1', '+1', '2026-01-01', '- dash', '? q', '* star', '&amp', '!tag', '|pipe', '>gt', "'sq", '"dq', '%pct', '@at', '`bt',
  '{x}', '[x]', 'a,b', 'sum(rate(x_total{job="api",code=~"5.."}[5m]))', 'multi\nline\n', 'multi\nline', 'trail\n\n', '\nlead', 'tab\tin', 'a\u2028b', 'ünïcode',
  '${{ github.sha }}', '$(id)', 'k8s.io/name', 'ghcr.io/acme/shop/api@sha256:abc', '10%', '=', '<<',
];

describe('emitYaml', () => {
  it.each(TRICKY)('round-trips the string %j as value, key and list item', (s) => {
    const data = { v: s, [s || 'empty']: 1, list: [s], nested: { deeper: [{ k: s, n: [s] }] } };
    expect(parse(emitYaml(data))).toEqual(data);
  });

  it('round-trips numbers, booleans, null, empty collections and nesting', () => {
    const data = { n: 1, f: 0.005, neg: -2, b: true, z: null, e: [], o: {}, seqs: [[1, 2], [], [[3]]], maps: [{ a: 1, b: [{ c: 'd' }] }, {}], s: [1, 'x', null] };
    expect(parse(emitYaml(data))).toEqual(data);
    expect(parse(emitYaml([{ a: 1 }, 'b']))).toEqual([{ a: 1 }, 'b']);
  });

  it('writes GitLab hidden job names plain, as GitLab\'s docs do, and still quotes .inf/.nan', () => {
    const v = { '.image-build': { extends: ['.checks-node-npm', '.api:on-change'] }, '.inf': '.nan', '.Inf': '.5' };
    const text = emitYaml(v);
    expect(text).toContain('.image-build:\n  extends:\n    - .checks-node-npm\n    - .api:on-change');
    expect(text).toContain('".inf": ".nan"');
    expect(text).toContain('".Inf": ".5"');
    expect(parse(text)).toEqual(v);
  });

  it('indents every line after the first by pad, as a template after a key needs', () => {
    const data = { a: { b: [1, { c: 'multi\nline\n' }], d: [[1], []] } };
    const plain = emitYaml(data);
    expect(emitYaml(data, 4)).toBe(plain.split('\n').map((l, i) => (i === 0 || l === '' ? l : '    ' + l)).join('\n'));
    expect(parse('x:\n    ' + emitYaml(data, 4))).toEqual({ x: data });
  });

  it('writes the same layout as the yaml library for ordinary documents', () => {
    const data = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', labels: { 'app.kubernetes.io/name': 'api' } }, spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }], selector: { app: 'api' } } };
    expect(emitYaml(data)).toBe(stringify(data).trimEnd());
  });

  it('compact sequences start at their key\'s column, as kustomize edit writes, and read back the same', () => {
    const v = { resources: ['../../base'], labels: [{ fields: [{ create: true, kind: 'Rollout' }], pairs: { a: 'b' } }], images: [{ name: 'x' }] };
    const out = emitYaml(v, 0, true);
    expect(out).toBe('resources:\n- "../../base"\nlabels:\n- fields:\n  - create: true\n    kind: Rollout\n  pairs:\n    a: b\nimages:\n- name: x');
    expect(parse(out)).toEqual(v);
  });

  it('writes comments above a sequence item at its dash\'s column, after a literal block too, and reads back the data', () => {
    const v = { patches: [new Commented(['why', 'two\nlines'], { patch: 'a: 1\nb: 2' }), { patch: 'c: 3\nd: 4' }, new Commented(['last'], 'x')] };
    const compact = emitYaml(v, 0, true);
    expect(compact).toBe('patches:\n# why\n# two\n# lines\n- patch: |-\n    a: 1\n    b: 2\n- patch: |-\n    c: 3\n    d: 4\n# last\n- x');
    expect(parse(compact)).toEqual({ patches: [{ patch: 'a: 1\nb: 2' }, { patch: 'c: 3\nd: 4' }, 'x'] });
    expect(emitYaml(v)).toBe(compact.split('\n').map((l, i) => (i === 0 ? l : `  ${l}`)).join('\n'));
    // With a pad, every line after the first is indented, the item's own line included.
    expect(emitYaml([new Commented(['c'], 1), 2], 4)).toBe('# c\n    - 1\n    - 2');
    expect(parse(`x:\n    ${emitYaml([new Commented(['c'], 1), 2], 4)}`)).toEqual({ x: [1, 2] });
    expect(() => emitYaml({ k: new Commented(['no'], 1) })).toThrow(/sequence item/);
    expect(() => emitYaml({ k: [[new Commented(['no'], 1)]] })).toThrow(/its own line/);
  });

  it('writes a PLAIN-typed string plain only when block YAML reads it back as that string', () => {
    const asked = (s: string) => { const n = new Scalar(s); n.type = 'PLAIN'; return n; };
    const plainOk = ['../../base', './mvnw -B verify', 'go vet ./...', 'spec.template.spec.containers.[name=api].image', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/a/b', 'sha256:00ff', 'ghcr.io/acme/a@sha256:00'];
    const quotedStill = ['yes', 'null', '1.5', '0x1f', '2001-12-14t21:59:43.10-05:00', '12:30', '1e5', '.inf', '---x', '...', 'a: b', 'a #b', 'x:', '- x', '*ref', '&a', '!t', '[x]', '{x}', 'a  b', ' a', 'a ', "'q", '"q', '%x', '@x', '`x', '|x', '>x', '?x', '', 'tab\tx', 'é'];
    for (const s of plainOk) expect(emitYaml({ k: asked(s) })).toBe(`k: ${s}`);
    for (const s of [...plainOk, ...quotedStill]) expect(parse(emitYaml({ k: asked(s) }))).toEqual({ k: s });
    for (const s of quotedStill) expect(emitYaml({ k: asked(s) })).not.toBe(`k: ${s}`);
  });

  it('every practice render round-trips through the emitter and passes yamllint', () => {
    const spec = makeSpec({ practices: PRACTICES.map((p) => p.id) });
    const docs: Record<string, string> = {};
    {
      for (const f of emitAll(computeModel(spec))) {
        for (const v of Object.values(f.data)) {
          if (typeof v !== 'object' || v === null) continue;
          const text = emitYaml(v);
          expect(parse(text)).toEqual(parse(stringify(v)));
          docs[`${f.path}.${Object.keys(docs).length}.yaml`] = text + '\n';
        }
      }
    }
    if (haveTool('yamllint')) expect(yamllintRecord(docs).filter((l) => !/document-start|line-length/.test(l))).toEqual([]);
  });
});
