import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rng } from '../faults/random.js';
import { parseDocument, stringify } from 'yaml';
import { emitYaml } from '../../src/render/yaml-emit.js';
import { fastParseYaml, UNSUPPORTED } from '../../src/spec/fast-yaml.js';
import { newSpecText } from '../../src/spec/write.js';

/**
 * fastParseYaml's contract, checked against the yaml library itself: for every text it
 * returns UNSUPPORTED or exactly parseDocument(text, { uniqueKeys: true }).toJS(), and
 * UNSUPPORTED whenever yaml reports an error or a warning.
 */

/** Checks the contract for one text; true when the fast reader answered. */
function agrees(text: string): boolean {
  const fast = fastParseYaml(text);
  if (fast === UNSUPPORTED) return false;
  const doc = parseDocument(text, { uniqueKeys: true });
  expect({ text, errors: doc.errors.map((e) => e.code), warnings: doc.warnings.map((e) => e.code) }).toEqual({ text, errors: [], warnings: [] });
  // toStrictEqual tells 0 from -0, a missing key from an undefined one, and classes apart.
  expect(fast, JSON.stringify(text)).toStrictEqual(doc.toJS());
  return true;
}

/** A seeded PRNG (test/faults/random.ts), so a failing case reproduces from its seed. */
const prng = (seed: number): (() => number) => rng(seed).next;

const GOLDEN = fileURLToPath(new URL('../golden/', import.meta.url));
const goldenSpecs = readdirSync(GOLDEN, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => readFileSync(`${GOLDEN}${d.name}/devops.yaml`, 'utf8'));

/** The per-service GitHub workflows of the golden trees (flow sequences, `${{ }}` plain scalars): the render engine validates them with the fast reader. */
const goldenWorkflows = readdirSync(GOLDEN, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readFileSync(`${GOLDEN}${d.name}/tree.txt`, 'utf8').split(/^=== /m))
  .filter((section) => section.startsWith('.github/workflows/ci-'))
  .map((section) => section.slice(section.indexOf('\n') + 1));

/** Every YAML file of the golden trees (workflows with comments and folded `if:`s, manifests, rules). */
const goldenYaml = readdirSync(GOLDEN, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readFileSync(`${GOLDEN}${d.name}/tree.txt`, 'utf8').split(/^=== /m))
  .filter((section) => /^\S+\.ya?ml /.test(section))
  .map((section) => section.slice(section.indexOf('\n') + 1));

/** A devops.yaml-shaped object for `n` services, as init writes for a monorepo. */
function specLike(n: number): Record<string, unknown> {
  return {
    version: 1,
    project: { name: 'bench', repository: 'acme/bench', defaultBranch: 'main' },
    practices: ['ci', 'gitops', 'deploy', 'observability', 'monitoring', 'logging'],
    ci: { registry: 'ecr', signing: 'cosign', aws: { region: 'eu-west-1', registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com' } },
    gitops: { dir: 'deploy', productionSync: 'automated', previews: true, promotion: 'pull-request' },
    monitoring: { slack: { defaultChannel: '#alerts' } },
    observability: { collectorVersion: '0.147.0' },
    logging: { lokiUrl: 'http://loki-gateway.monitoring.svc' },
    services: Array.from({ length: n }, (_, i) => ({
      name: `svc${i}`,
      path: `services/svc-${i}`,
      kind: i % 2 ? 'worker' : 'api',
      language: 'go',
      version: '1.23',
      port: 8080 + i,
      packageManager: 'go',
      commands: { install: 'go mod download', lint: 'go vet ./...', test: 'go test ./...', build: 'go build ./...' },
      env: [],
      deploy: { strategy: 'rolling', featureFlags: false, replicas: null },
      notes: 'first line\n  indented: yes # not a comment\nlast line\n',
    })),
  };
}

/** Every supported form in one file, for the mutation fuzz to break. */
const RICH = `# yaml-language-server: $schema=./x.json
---
version: 1
# between keys
project:
  name: shop
  "quoted key": "a \\"b\\" \\u00e9 #x"
  single: 'it''s: #'
  empty:
  list:
  - a
  - -1.5
  - - nested
    - 2
  -
    k: v
  - k: |
      line one
        indented
      # not a comment

      after blank
    j: |-
      stripped
  map:
    deep:
      deeper: ~
  e1: []
  e2: {}
  t: true
  f: FALSE
  n: Null
  url: http://x.io:8080/a?b=c
  hidden: .image-build
  dot: .
  plus: +1
services:
  - name: api
    path: services/api
    port: 3000
    commands:
      test: go test ./...
`;

// Pieces of awkward strings: YAML indicators, look-alikes of other types, whitespace, unicode.
const PIECES = [
  'a', 'name', 'go vet ./...', 'svc-1', ' ', '  ', ':', ': ', ' #', '#', '"', "'", "''", '-', '- ', '.', '...', '---', '0', '1', '007', '12', '1.5', '-3', '+4', '.5', '1.', '0x1F', '0o17', '1e5', '.inf', '-.Inf', '.nan',
  'true', 'False', 'TRUE', 'null', 'Null', '~', 'yes', 'on', 'y', '\n', '\n\n', ' \n', '\n ', 'é', '日本', '😀', '\u2028', '\u00a0', '\u0085', '\ufeff', '\u0007', '\x7f', '[', ']', '{', '}', ',', '&a', '*a', '!t', '|', '|-', '>',
  '%', '@', '`', '\\', '\\n', '\t', '\r', '\r\n', '/', 'http://x.io:80/p?q=1', '2024-01-01', '12:30', '__proto__', '<<', '=', '?', '? ', '"a"', '\\u00e9',
];
const WORDS = ['a', 'b', 'name', 'path', 'k8s.io/name', 'x-y', 'k_1', 'a.b', 'svc001', 'URL', '2fa', '_x', 'v1.2', 'True', 'nulls', 'on', 'yes', 'null', '1', '1_000'];

function generator(seed: number) {
  const r = prng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const str = (): string => (r() < 0.45 ? pick(WORDS) + (r() < 0.3 ? ` ${pick(WORDS)}` : '') : Array.from({ length: int(0, 4) }, () => pick(PIECES)).join(''));
  const scalar = (): unknown => {
    const k = r();
    if (k < 0.55) return str();
    if (k < 0.65) return int(-1000, 100000);
    if (k < 0.72) return Math.round((r() - 0.5) * 1e6) / 1000;
    if (k < 0.74) return pick([0, -0, 2 ** 53 + 2, 1e21, 1e-7, 0.1 + 0.2, Number.MAX_SAFE_INTEGER]);
    if (k < 0.85) return r() < 0.5;
    return null;
  };
  const value = (depth: number): unknown => {
    const k = r();
    if (depth < 4 && k < 0.3) return object(depth + 1);
    if (depth < 4 && k < 0.5) return Array.from({ length: int(0, 4) }, () => value(depth + 1));
    return scalar();
  };
  const object = (depth: number): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    // defineProperty: `__proto__` must become an own key, as yaml's toJS makes it.
    for (let n = int(0, 5); n > 0; n--) Object.defineProperty(o, r() < 0.75 ? pick(WORDS) : str(), { value: value(depth), enumerable: true, writable: true, configurable: true });
    return o;
  };
  return { r, object, value };
}

describe('fastParseYaml: same data as the yaml library, or UNSUPPORTED', () => {
  it('reads what devops-init writes for a monorepo (the fast path is really taken)', () => {
    for (const n of [1, 3, 40]) {
      const text = newSpecText(specLike(n));
      expect(fastParseYaml(text)).not.toBe(UNSUPPORTED);
      expect(agrees(text)).toBe(true);
    }
    expect(agrees(emitYaml(specLike(5)) + '\n')).toBe(true);
    expect(agrees(emitYaml(specLike(5), 0, true) + '\n')).toBe(true);
    expect(agrees(stringify(specLike(5)))).toBe(true);
  });

  it('agrees on every golden devops.yaml, and reads those written in block style', () => {
    let fast = 0;
    for (const text of goldenSpecs) if (agrees(text)) fast++;
    expect(goldenSpecs.length).toBeGreaterThan(20);
    // The few that bail use flow collections (`practices: [ci, iac]`), which are out of the subset.
    expect(fast).toBeGreaterThanOrEqual(goldenSpecs.length - 5);
  });

  it('reads every per-service GitHub workflow of the golden trees (what the render engine validates with it at scale)', () => {
    let fast = 0;
    for (const text of goldenWorkflows) if (agrees(text)) fast++;
    expect(goldenWorkflows.length).toBeGreaterThan(20);
    expect(fast).toBe(goldenWorkflows.length);
  });

  it('agrees on every YAML file of the golden trees, and reads most of them', () => {
    let fast = 0;
    for (const text of goldenYaml) if (agrees(text)) fast++;
    expect(goldenYaml.length).toBeGreaterThan(500);
    expect(fast / goldenYaml.length).toBeGreaterThan(0.9);
  });

  it('agrees on random data written by emitYaml, the spec writer and yaml.stringify', () => {
    let cases = 0;
    let fast = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const g = generator(seed);
      const top = g.r() < 0.8 ? g.object(0) : g.value(0);
      const texts = [emitYaml(top) + '\n', emitYaml(top, 0, true) + '\n', stringify(top)];
      if (typeof top === 'object' && top !== null && !Array.isArray(top)) texts.push(newSpecText(top as Record<string, unknown>));
      for (const text of texts) {
        cases++;
        if (agrees(text)) fast++;
      }
    }
    // Awkward strings make many texts bail, but not most: the test cannot pass by always bailing.
    expect(fast / cases).toBeGreaterThan(0.3);
  });

  it('agrees on devops.yaml texts with random edits, and bails wherever yaml reports a problem', () => {
    expect(agrees(RICH)).toBe(true);
    const commented = goldenYaml.filter((t) => / # |: >-?\n/.test(t));
    expect(commented.length).toBeGreaterThan(20);
    const bases = [RICH, newSpecText(specLike(3)), ...goldenSpecs.slice(0, 8), ...goldenWorkflows.slice(0, 12), ...commented.slice(0, 12)];
    const INSERTS = [' ', '  ', '\t', '&', '*', ':', ': ', ' #', '#', '-', '- ', '"', "'", '|', '|+', '|-', '>', '>-', ' # x', '\n', '\r', '[', ']', '{', '}', ',', '!', '?', '%', '@', '~', '.', '0', 'x', '---\n', '...\n', '\ufeff', '\\', 'é'];
    const r = prng(20240501);
    const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
    const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
    let fast = 0;
    const total = 4000;
    for (let n = 0; n < total; n++) {
      let text = pick(bases);
      for (let m = int(1, 3); m > 0; m--) {
        const lines = text.split('\n');
        const i = int(0, lines.length - 1);
        const line = lines[i]!;
        const at = int(0, line.length);
        switch (int(0, 6)) {
          case 0: lines[i] = line.slice(0, at) + line.slice(at + 1); break;
          case 1: lines[i] = line.slice(0, at) + pick(INSERTS) + line.slice(at); break;
          case 2: lines[i] = r() < 0.5 ? ' '.repeat(int(1, 2)) + line : line.replace(/^ {1,2}/, ''); break;
          case 3: lines.splice(i, 0, line); break;
          case 4: lines.splice(i, 1); break;
          case 5: lines.splice(i, 2, lines[i + 1] ?? '', line); break;
          default: lines[i] = line.replace(/[A-Za-z0-9]+$/, pick(['yes', '1e3', '0x10', '.inf', '~', '"a"', "'b'", '[]', '{}', '|', '- x', 'a: b', 'null', '-1.5', '007'])); break;
        }
        text = lines.join('\n');
      }
      if (agrees(text)) fast++;
    }
    expect(fast / total).toBeGreaterThan(0.2);
  });

  it.each<[string, string, unknown]>([
    ['a document marker and comments anywhere', '# top\n\n---\n# after\na: 1\n  # indented comment\n\nb: 2\n# end\n', { a: 1, b: 2 }],
    ['nested mappings', 'a:\n  b:\n    c: d\n  e: f\n', { a: { b: { c: 'd' }, e: 'f' } }],
    ['a sequence at its key\'s column, then the next key', 'a:\n- x\n- y\nb: 2\n', { a: ['x', 'y'], b: 2 }],
    ['an indented sequence', 'a:\n    - x\n    - y\n', { a: ['x', 'y'] }],
    ['mappings that start on the dash line', 'a:\n  - b: 1\n    c:\n    - 2\n  - d\n', { a: [{ b: 1, c: [2] }, 'd'] }],
    ['sequences in sequences and lone dashes', '- - a\n  - b\n-\n- -\n  - c\n-\n  k: v\n', [['a', 'b'], null, [null, 'c'], { k: 'v' }]],
    ['a key with nothing under it is null', 'a:\nb:\n  c:\nd: 1\n', { a: null, b: { c: null }, d: 1 }],
    ['empty collections', 'a: []\nb: {}\nc:\n- []\n- {}\n', { a: [], b: {}, c: [[], {}] }],
    ['core-schema numbers', 'i: 42\nn: -7\np: +3\nz: 007\nf: 3.25\ng: -.5\nh: 1.\nbig: 123456789012345678901\nzero: -0\n', { i: 42, n: -7, p: 3, z: 7, f: 3.25, g: -0.5, h: 1, big: 123456789012345678901, zero: -0 }],
    ['booleans and null', 'a: true\nb: False\nc: TRUE\nd: null\ne: ~\nf: NULL\n', { a: true, b: false, c: true, d: null, e: null, f: null }],
    ['strings YAML 1.1 would read as other types', 'a: yes\nb: on\nc: 1_000\nd: 1.2.3\ne: 2024-01-01\nf: 12:30\ng: ~x\nh: nulls\n', { a: 'yes', b: 'on', c: '1_000', d: '1.2.3', e: '2024-01-01', f: '12:30', g: '~x', h: 'nulls' }],
    ['plain strings with inner indicators', 'a: http://x.io:80/p?q=1\nb: go vet ./...\nc: a]b,c{d}\nd: it\'s "x"\ne: .\nf: .image-build\ng: -x\nh: café  au lait\ni: 123456789012.dkr.ecr.eu-west-1.amazonaws.com\n',
      { a: 'http://x.io:80/p?q=1', b: 'go vet ./...', c: 'a]b,c{d}', d: 'it\'s "x"', e: '.', f: '.image-build', g: '-x', h: 'café  au lait', i: '123456789012.dkr.ecr.eu-west-1.amazonaws.com' }],
    ['double-quoted JSON strings', 'a: "#alerts"\nb: "x\\ty\\u00e9\\"\\\\ \\/"\nc: ""\nd: "1.5"\n', { a: '#alerts', b: 'x\tyé"\\ /', c: '', d: '1.5' }],
    ['single-quoted strings', "a: 'it''s'\nb: ''\nc: '#x: y'\n", { a: "it's", b: '', c: '#x: y' }],
    ['quoted and unusual plain keys', '"a b": 1\n"": 2\nk8s.io/name: 3\n2fa: 4\n"true": 5\n', { 'a b': 1, '': 2, 'k8s.io/name': 3, '2fa': 4, true: 5 }],
    ['literal block scalars', 'a: |\n  one\n    two\n  # three\n\n  four\nb: |-\n    x\n    y\nc: 1\n', { a: 'one\n  two\n# three\n\nfour\n', b: 'x\ny', c: 1 }],
    ['one-line flow sequences of words and JSON strings', 'a: ["main"]\nb: [checks, test]\nc: [1, true, null, "x, y", k8s.io/v1]\n', { a: ['main'], b: ['checks', 'test'], c: [1, true, null, 'x, y', 'k8s.io/v1'] }],
    ['GitHub expressions as plain scalars', "group: ${{ github.workflow }}-${{ github.event_name == 'push' && github.sha || github.ref }}\nif: github.ref == 'refs/heads/main'\n", { group: "${{ github.workflow }}-${{ github.event_name == 'push' && github.sha || github.ref }}", if: "github.ref == 'refs/heads/main'" }],
    ['plain scalars followed by a comment', '- uses: actions/checkout@3d3c42e5 # v7.0.1\n  with:\n    a: 1   # one\n    b: x y  # c#d\n', [{ uses: 'actions/checkout@3d3c42e5', with: { a: 1, b: 'x y' } }]],
    ['folded block scalars in their simplest form', "if: >-\n  contains(labels, 'preview')\n  && a == b\nx: >\n  one\n  two\n\ny: 1\n", { if: "contains(labels, 'preview') && a == b", x: 'one two\n', y: 1 }],
    ['literal block scalars in sequences', '- |\n  a\n- k: |-\n    b\n  j: 1\n', ['a\n', { k: 'b', j: 1 }]],
  ])('reads %s', (_what, text, expected) => {
    expect(fastParseYaml(text)).toStrictEqual(expected);
    expect(agrees(text)).toBe(true);
  });

  it.each<[string, string]>([
    ['an empty document', ''],
    ['a top-level scalar', 'hello\n'],
    ['tabs', 'a:\tb\n'],
    ['tab indentation', 'a:\n\tb: 1\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['a byte-order mark', '\ufeffa: 1\n'],
    ['control characters', 'a: b\u0007\n'],
    ['NEL', 'a: b\u0085c\n'],
    ['a lone surrogate', 'a: "\ud800"\n'],
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !!str 1\n'],
    ['flow sequences without a space after the comma', 'a: [b,c]\n'],
    ['flow sequences with spaces inside the brackets', 'a: [ b ]\n'],
    ['nested flow sequences', 'a: [b, [c]]\n'],
    ['a mapping inside a flow sequence', 'a: [b: c]\n'],
    ['a trailing comma', 'a: [b, ]\n'],
    ['a comment after a flow sequence', 'a: [b] # c\n'],
    ['numbers that start with a sign in a flow sequence', 'a: [-1]\n'],
    ['an exponent in a flow sequence', 'a: [1e5]\n'],
    ['a flow sequence over two lines', 'a: [b,\n  c]\n'],
    ['flow mappings', 'a: {b: 1}\n'],
    ['spaces inside empty collections', 'a: [ ]\n'],
    ['merge keys', 'a:\n  <<: {}\n'],
    ['complex keys', '? a\n: b\n'],
    ['a second document', 'a: 1\n---\nb: 2\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['directives', '%YAML 1.2\n---\na: 1\n'],
    ['content on the --- line', '--- a: 1\n'],
    ['multi-line plain scalars', 'a: b\n  c\n'],
    ['multi-line plain scalars under a key', 'a:\n  b\n  c\n'],
    ['multi-line quoted scalars', 'a: "b\n  c"\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['duplicate keys, one quoted', 'a: 1\n"a": 2\n'],
    ['a key called __proto__', '__proto__: 1\n'],
    ['a less-indented key', 'a:\n  b: 1\n c: 2\n'],
    ['a more-indented key', 'a: 1\n  b: 2\n'],
    ['a comment without a space before it', 'a: b#c # d\n'],
    ['a comment after a flow sequence or a quoted scalar', 'a: "b" # c\n'],
    ['a comment after a key', 'a: # c\n  b: 1\n'],
    ['trailing spaces', 'a: 1 \n'],
    ['`: ` in a plain value', 'a: b: c\n'],
    ['a plain value ending in a colon', 'a: b:\n'],
    ['a key without a space after the colon', 'a:b\n'],
    ['a sequence on the key line', 'a: - b\n'],
    ['text after a quoted scalar', 'a: "b" c\n'],
    ['a lone quote inside single quotes', "a: 'it's'\n"],
    ['a key over 1024 characters', `${'k'.repeat(1025)}: 1\n`],
    ['a quoted key over 1024 characters', `"${'k'.repeat(1025)}": 1\n`],
    ['a YAML-only escape', 'a: "\\x41"\n'],
    ['hexadecimal', 'a: 0x1F\n'],
    ['octal', 'a: 0o17\n'],
    ['exponents', 'a: 1e5\n'],
    ['infinity', 'a: -.inf\n'],
    ['NaN', 'a: .NaN\n'],
    ['keys of other types', 'true: 1\n'],
    ['number keys', '1: a\n'],
    ['null keys', 'null: a\n'],
    ['indicator starts', 'a: @x\n'],
    ['backquote starts', 'a: `x\n'],
    ['keep chomping', 'a: |+\n  x\n'],
    ['folded scalars with a blank line inside', 'a: >\n  x\n\n  y\n'],
    ['folded scalars with a more-indented line', 'a: >-\n  x\n    y\n'],
    ['folded scalars with trailing spaces', 'a: >-\n  x \n  y\n'],
    ['folded scalars with keep chomping', 'a: >+\n  x\n'],
    ['indentation indicators', 'a: |2\n  x\n'],
    ['a literal with a leading blank line', 'a: |\n\n  x\n'],
    ['an empty literal', 'a: |\nb: 1\n'],
    ['a literal with a space-only line', 'a: |\n  x\n   \n  y\n'],
    ['a literal that ends the file without a line break', 'a: |\n  x'],
    ['a literal as indented as its key', '- k: |\n  x: y\n'],
  ])('bails on %s', (_what, text) => {
    expect(fastParseYaml(text)).toBe(UNSUPPORTED);
  });
});
