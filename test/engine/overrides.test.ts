import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { computeTree } from '../../src/tree/compute.js';
import { makeSpec } from '../helpers/spec.js';

/**
 * "Override any template": a file at `.devops-init/templates/<output path>` is rendered instead
 * of the shipped template, with the same data and helpers — for template-written files and for
 * object-built ones (whose data is `{ objects, comments }` or `{ value }`).
 */
describe('team template overrides', () => {
  const spec = makeSpec({ practices: ['ci', 'gitops'] });

  it('an object-built manifest can be overridden: the objects are the data', () => {
    const override = [
      '# Our own header.',
      '{{#each objects}}',
      '{{toYaml this}}',
      '{{/each}}',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: extra',
      '',
    ].join('\n');
    const tree = computeTree(spec, (path) => (path === 'deploy/api/base/service.yaml' ? override : undefined));
    const text = tree.get('deploy/api/base/service.yaml')!.content;
    expect(text).toContain('# Our own header.');
    const docs = parseAllDocuments(text).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(['Service', 'ConfigMap']);
    expect(docs[0].spec.ports[0].port).toBe(3000);
  });

  it('a workflow override keeps the GitHub helpers (pin, gh) and the workflow data', () => {
    const override = 'name: {{name}}\non: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: {{pin "actions/checkout"}}\n      - run: echo {{gh "github.sha"}}\n';
    const tree = computeTree(spec, (path) => (path === '.github/workflows/ci-api.yml' ? override : undefined));
    const wf = parse(tree.get('.github/workflows/ci-api.yml')!.content);
    expect(wf.name).toBe('ci-api');
    expect(wf.jobs.x.steps[0].uses).toMatch(/^actions\/checkout@[0-9a-f]{40}$/);
    expect(wf.jobs.x.steps[1].run).toBe('echo ${{ github.sha }}');
  });

  it('an override that renders invalid YAML is refused, naming the file', () => {
    expect(() => computeTree(spec, (path) => (path === 'deploy/api/base/pdb.yaml' ? 'a: [\n' : undefined))).toThrow(/deploy\/api\/base\/pdb\.yaml/);
  });
});
