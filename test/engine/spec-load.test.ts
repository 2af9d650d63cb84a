import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/spec/load.js';
import { specProblems } from '../helpers/spec-problems.js';

const GOOD = `# comment kept
version: 1
project:
  name: shop
  repository: acme/shop
practices: [ci]
services:
  - name: api
    path: .
    language: node
    port: 3000
`;

const problems = specProblems;

describe('devops.yaml loading', () => {
  it('parses a valid spec and fills defaults', () => {
    const { spec } = parseSpec(GOOD);
    expect(spec.services[0]).toMatchObject({ name: 'api', port: 3000, healthPath: '/healthz', packageManager: 'npm', version: '22' });
    expect(spec.ci.registry).toBe('ghcr');
    expect(spec.services[0]!.slos.map((s) => s.name)).toEqual(['availability', 'latency']);
  });

  it('points at an unknown key with line, column and a suggestion', () => {
    const [p] = problems(GOOD.replace('    port: 3000', '    prot: 3000'));
    expect(p).toMatchObject({ file: 'devops.yaml', line: 11, col: 5 });
    expect(p!.message).toContain('unknown key "prot"');
    expect(p!.fix).toContain('did you mean "port"');
  });

  it('reports a wrong type at the value', () => {
    const [p] = problems(GOOD.replace('port: 3000', 'port: "http"'));
    expect(p).toMatchObject({ line: 11, col: 11 });
    expect(p!.message).toMatch(/must be an integer/);
  });

  it('reports an out-of-range port with the allowed range', () => {
    const [p] = problems(GOOD.replace('port: 3000', 'port: 70000'));
    expect(p!.message).toContain('above 65535');
  });

  it('suggests the closest enum value', () => {
    const [p] = problems(GOOD.replace('language: node', 'language: nodejs'));
    expect(p!.fix).toContain('did you mean "node"');
    expect(p).toMatchObject({ line: 10, col: 15 });
  });

  it('reports YAML syntax errors with their position', () => {
    const [p] = problems('version: 1\nproject:\n  name: shop\n   repository: x\n');
    expect(p!.line).toBeGreaterThanOrEqual(3);
    expect(p!.message.length).toBeGreaterThan(5);
  });

  it('reports duplicate keys', () => {
    const [p] = problems(GOOD.replace('practices: [ci]', 'practices: [ci]\npractices: [ci]'));
    expect(p!.line).toBe(7);
    expect(p!.fix).toContain('remove or rename');
  });

  it('rejects duplicate service names at the second one', () => {
    const text = GOOD + '  - name: api\n    path: other\n    language: go\n';
    const [p] = problems(text);
    expect(p).toMatchObject({ line: 12 });
    expect(p!.message).toContain('used twice');
  });

  it('rejects GitHub expressions in commands (script injection)', () => {
    const [p] = problems(GOOD + '    commands:\n      test: echo "${{ github.event.issue.title }}"\n');
    expect(p!.message).toContain('GitHub expressions');
    expect(p).toMatchObject({ line: 13, col: 13 });
  });

  it.each([
    ['../x', 'path traversal'],
    ['a"b', 'quote'],
    ['a\nb', 'newline'],
    ['${{ secrets.X }}', 'expression'],
    ['API', 'uppercase'],
  ])('rejects the hostile service name %j (%s)', (name) => {
    const [p] = problems(GOOD.replace('name: api', `name: ${JSON.stringify(name)}`));
    expect(p!.line).toBe(8);
    expect(p!.fix).toMatch(/DNS-1123/);
  });

  it.each(['../outside', '/etc', 'a/../../b'])('rejects the service path %j', (path) => {
    const [p] = problems(GOOD.replace('path: .', `path: ${JSON.stringify(path)}`));
    expect(p!.line).toBe(9);
  });

  it('lists every problem, not just the first', () => {
    const ps = problems(GOOD.replace('port: 3000', 'port: 0').replace('language: node', 'language: cobol'));
    expect(ps.length).toBe(2);
  });

  it('requires registry settings for ECR', () => {
    const [p] = problems(GOOD.replace('practices: [ci]', 'practices: [ci]\nci:\n  registry: ecr'));
    expect(p!.message).toContain('needs ci.aws');
  });

  it('formats problems as file:line:col: message — fix', () => {
    try {
      parseSpec(GOOD.replace('    port: 3000', '    prot: 3000'));
    } catch (e) {
      expect((e as Error).message).toMatch(/^devops\.yaml:11:5: unknown key "prot" in services\.0 — did you mean "port"\?/);
    }
  });
});
