import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/errors.js';
import { parseSpec } from '../../src/spec/load.js';
import { specText } from './spec-text.js';

function problems(text: string): string {
  try {
    parseSpec(text);
  } catch (e) {
    if (e instanceof SpecError) return e.message;
    throw e;
  }
  return '';
}

describe('7. keys that look like JavaScript internals are keys like any other', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])('%s is an unknown key at the top level, in a section, in a service and deeper', (key) => {
    for (const text of [
      specText({ top: `${key}: {x: 1}` }),
      specText({ ci: `  registry: ghcr\n  ${key}: {x: 1}` }),
      specText({ services: `  - name: api\n    path: services/api\n    language: node\n    ${key}: 1` }),
      specText({ services: `  - name: api\n    path: services/api\n    language: node\n    deploy:\n      ${key}: {strategy: canary}` }),
    ]) {
      expect(problems(text)).toMatch(new RegExp(`devops\\.yaml:\\d+:\\d+: unknown key "${key}"`));
    }
  });

  it('__proto__ cannot smuggle registry settings past the schema into a workflow', () => {
    const text = specText({ ci: '  registry: ecr\n  __proto__:\n    aws: {region: "${{ github.event.issue.title }}", roleArn: not-an-arn}' });
    expect(problems(text)).toMatch(/unknown key "__proto__"/);
  });

  it('"required" is an own-property test: an inherited name does not satisfy it', () => {
    const text = specText({ ci: '  registry: ecr\n  aws: {constructor: 1, toString: 2}' });
    const p = problems(text);
    expect(p).toMatch(/missing "region"/);
    expect(p).toMatch(/unknown key "constructor"/);
  });

  it('metrics.selector keys must be label names (propertyNames) and values strings (additionalProperties schema)', () => {
    const svc = (selector: string) => specText({ services: `  - name: api\n    path: services/api\n    language: node\n    metrics:\n      selector: ${selector}` });
    expect(problems(svc(`{'x="y"} or vector(1) or up{z': v}`))).toMatch(/devops\.yaml:\d+:\d+: .*not allowed/);
    expect(problems(svc('{env: [1, 2]}'))).toMatch(/devops\.yaml:\d+:\d+: .*must be a string/);
    expect(problems(svc('{env: "a\\nb"}'))).toMatch(/devops\.yaml:\d+:\d+:/);
    expect(problems(svc('{deployment_environment_name: production}'))).toBe('');
  });
});
