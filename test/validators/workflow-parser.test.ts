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
});
