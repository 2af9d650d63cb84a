import { describe, expect, it } from 'vitest';
import { GOOD_WORKFLOW } from './workflow-fixture.js';
import { parseWithGitHub } from './workflow-parser.js';

describe("GitHub's workflow parser (@actions/workflow-parser)", () => {
  it('accepts a valid hardened workflow', async () => {
    expect(await parseWithGitHub(GOOD_WORKFLOW, 'ci.yml')).toEqual([]);
  });

  it('rejects an unknown key', async () => {
    const broken = GOOD_WORKFLOW.replace('permissions:\n  contents: read', 'permissions:\n  contents: read\npermisions: {}');
    expect((await parseWithGitHub(broken, 'ci.yml')).join('\n')).toMatch(/permisions/);
  });

  it('rejects a malformed expression', async () => {
    const broken = GOOD_WORKFLOW.replace('${{ github.event.pull_request.title }}', '${{ github.event.pull_request.title ) }}');
    expect(await parseWithGitHub(broken, 'ci.yml')).not.toEqual([]);
  });

  it('rejects an invalid permission level', async () => {
    const broken = GOOD_WORKFLOW.replace('contents: read', 'contents: admin');
    expect(await parseWithGitHub(broken, 'ci.yml')).not.toEqual([]);
  });

  describe('calls of local reusable workflows (with the called files)', () => {
    const called = [
      'on:',
      '  workflow_call:',
      '    inputs:',
      '      service: { type: string, required: true }',
      '    secrets:',
      '      KEY: { required: false }',
      'permissions:',
      '  contents: read',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-24.04',
      '    timeout-minutes: 5',
      '    steps:',
      '      - run: echo "$SERVICE"',
      '        env:',
      '          SERVICE: ${{ inputs.service }}',
      '',
    ].join('\n');
    const caller = (withBlock: string) => [
      'on: push',
      'permissions:',
      '  contents: read',
      'jobs:',
      '  image:',
      '    uses: ./.github/workflows/_called.yml',
      '    permissions:',
      '      contents: read',
      withBlock,
      '',
    ].join('\n');
    const files = { '.github/workflows/_called.yml': called };

    it('accepts a call that gives the declared inputs', async () => {
      expect(await parseWithGitHub(caller('    with:\n      service: api'), 'ci.yml', files)).toEqual([]);
    });

    it('rejects an undeclared input, a missing required input and an undeclared secret', async () => {
      expect((await parseWithGitHub(caller('    with:\n      service: api\n      sevrice: api'), 'ci.yml', files)).join('\n')).toMatch(/sevrice/);
      expect((await parseWithGitHub(caller('    with:\n      other: x'), 'ci.yml', files)).join('\n')).toMatch(/service/);
      expect((await parseWithGitHub(caller('    with:\n      service: api\n    secrets:\n      NOPE: x'), 'ci.yml', files)).join('\n')).toMatch(/NOPE/);
    });
  });
});
