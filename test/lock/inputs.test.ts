import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inputsDigest, renderInputsDigest } from '../../src/lock/inputs.js';
import { parseSpec } from '../../src/spec/load.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function repo(): string {
  const d = mkdtempSync(join(tmpdir(), 'devops-init-inputs-'));
  dirs.push(d);
  return d;
}

const SPEC = `version: 1
project:
  name: shop
  repository: acme/shop
practices: []
services:
  - name: api
    path: .
    language: go
    version: "1.23"
    port: 8080
`;

describe('render input digests (what lets check skip the render)', () => {
  it('the text digest changes with any byte; the data digest only with the data', () => {
    const root = repo();
    const commented = `# a note\n${SPEC.replace('name: api', 'name: "api"   # quoted').replace('port: 8080', 'port:   8080')}`;
    expect(inputsDigest(root, commented)).not.toBe(inputsDigest(root, SPEC));
    const a = parseSpec(SPEC).raw;
    const b = parseSpec(commented).raw;
    expect(renderInputsDigest(root, b)).toBe(renderInputsDigest(root, a));
    // A value that differs only in type, and a key order change, are different inputs.
    expect(renderInputsDigest(root, { ...a, x: '1' })).not.toBe(renderInputsDigest(root, { ...a, x: 1 }));
    expect(renderInputsDigest(root, parseSpec(SPEC.replace('port: 8080', 'port: 8081')).raw)).not.toBe(renderInputsDigest(root, a));
    expect(renderInputsDigest(root, parseSpec(SPEC.replace('    path: .\n    language: go\n', '    language: go\n    path: .\n')).raw)).not.toBe(renderInputsDigest(root, a));
  });

  it('counts template overrides, and refuses data JSON cannot tell apart', () => {
    const root = repo();
    const raw = parseSpec(SPEC).raw;
    const before = renderInputsDigest(root, raw);
    mkdirSync(join(root, '.devops-init/templates'), { recursive: true });
    writeFileSync(join(root, '.devops-init/templates/x.yml'), 'a: 1\n');
    expect(renderInputsDigest(root, raw)).not.toBe(before);
    // .inf and null would both serialize as null: no digest, so check renders.
    expect(renderInputsDigest(root, { ...raw, x: Number.POSITIVE_INFINITY })).toBeUndefined();
    expect(renderInputsDigest(root, { ...raw, x: null })).toMatch(/^sha256-[0-9a-f]{64}$/);
  });
});
