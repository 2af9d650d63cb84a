import { describe, expect, it } from 'vitest';
import { Document, parseDocument } from 'yaml';
import { fastParseYaml, UNSUPPORTED } from '../../src/spec/fast-yaml.js';
import { parseSpec } from '../../src/spec/load.js';
import { newSpecText } from '../../src/spec/write.js';
import { specProblems } from '../helpers/spec-problems.js';

/**
 * parseSpec reads block-style files with the fast reader, and everything it returns or
 * reports (data, spec, error positions, locate, the Document) is what the yaml path gives.
 */

// Block style throughout, so the fast reader takes it (test/engine/spec-load.test.ts has the flow-style twin).
const GOOD = `# comment kept
version: 1
project:
  name: shop
  repository: acme/shop
practices:
  - ci
services:
  - name: api
    path: .
    language: node
    port: 3000
`;

/** The same data, but a tag (out of the fast reader's subset) sends it down the yaml path. */
const viaYaml = (text: string): string => text.replace('version: 1\n', 'version: !!int 1\n');

const problems = specProblems;

describe('parseSpec on the fast path', () => {
  it('takes the fast path for block-style files, including the ones init writes', () => {
    expect(fastParseYaml(GOOD)).not.toBe(UNSUPPORTED);
    expect(fastParseYaml(viaYaml(GOOD))).toBe(UNSUPPORTED);
    const written = newSpecText(parseSpec(GOOD).raw);
    expect(fastParseYaml(written)).not.toBe(UNSUPPORTED);
    expect(parseSpec(written).raw).toStrictEqual(parseSpec(GOOD).raw);
  });

  it('gives the same raw data and spec as the yaml path', () => {
    const fast = parseSpec(GOOD);
    const slow = parseSpec(viaYaml(GOOD));
    expect(fast.raw).toStrictEqual(parseDocument(GOOD).toJS());
    expect(fast.raw).toStrictEqual(slow.raw);
    expect(fast.spec).toStrictEqual(slow.spec);
    expect(fast.text).toBe(GOOD);
    expect(fast.file).toBe('devops.yaml');
  });

  it('reports schema errors at the same line and column as the yaml path', () => {
    const text = GOOD.replace('    port: 3000', '    prot: 3000');
    expect(fastParseYaml(text)).not.toBe(UNSUPPORTED);
    const [p] = problems(text);
    expect(p).toMatchObject({ file: 'devops.yaml', line: 12, col: 5 });
    expect(p!.message).toContain('unknown key "prot"');
    expect(problems(viaYaml(text))).toStrictEqual(problems(text));
    expect(problems(GOOD.replace('port: 3000', 'port: "http"'))[0]).toMatchObject({ line: 12, col: 11 });
  });

  it('reports semantic errors (after normalising) at the same position too', () => {
    const text = GOOD + '  - name: api\n    path: other\n    language: go\n';
    expect(fastParseYaml(text)).not.toBe(UNSUPPORTED);
    const [p] = problems(text);
    expect(p).toMatchObject({ line: 13 });
    expect(p!.message).toContain('used twice');
    expect(problems(viaYaml(text))).toStrictEqual(problems(text));
  });

  it('still reports YAML errors and a non-mapping file as before', () => {
    expect(problems('version: 1\nversion: 1\n')[0]).toMatchObject({ line: 2, fix: 'remove or rename one of the two keys' });
    expect(problems('- a\n')[0]).toMatchObject({ line: 1, col: 1, message: 'devops.yaml must be a mapping of keys to values' });
  });

  it('locates key paths and builds the Document only when asked, once', () => {
    const loaded = parseSpec(GOOD);
    expect(Object.getOwnPropertyDescriptor(loaded, 'doc')?.get).toBeTypeOf('function');
    expect(loaded.locate(['services', 0, 'port'])).toEqual({ line: 12, col: 11 });
    expect(loaded.locate(['services', 0, 'nope'])).toEqual({ line: 9, col: 5 });
    expect(loaded.doc).toBeInstanceOf(Document);
    expect(loaded.doc).toBe(loaded.doc);
    expect(loaded.doc.toJS()).toStrictEqual(loaded.raw);
    // add and remove edit this Document and write it back, comments and all.
    loaded.doc.setIn(['practices'], loaded.doc.createNode(['ci', 'gitops']));
    expect(loaded.doc.toString()).toContain('# comment kept\nversion: 1');
    expect(parseSpec(viaYaml(GOOD)).locate(['services', 0, 'port'])).toEqual({ line: 12, col: 11 });
  });
});
