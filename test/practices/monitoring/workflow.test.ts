import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lintWorkflow, formatFindings } from '../../validators/actionlint.js';
import { shellcheckScript, shellcheckWorkflow } from '../../validators/shellcheck.js';
import { haveTool } from '../../validators/tool.js';
import { monorepoSpec, nodeSpec, renderMonitoring } from './render.js';

const PATH = '.github/workflows/monitoring.yml';

describe('monitoring CI workflow', () => {
  for (const [name, spec] of [['single service', nodeSpec()], ['monorepo', monorepoSpec()]] as const) {
    const text = renderMonitoring(spec)[PATH]!;

    it(`${name}: passes actionlint`, async () => {
      const findings = await lintWorkflow(text, PATH);
      expect(formatFindings(PATH, findings)).toEqual([]);
    });

    it.runIf(haveTool('shellcheck'))(`${name}: run scripts pass shellcheck`, async () => {
      expect(await shellcheckWorkflow(text)).toEqual([]);
    });
  }

  it.runIf(haveTool('shellcheck'))('monitoring/promtool.sh (POSIX sh, run by both forges) passes shellcheck, and a broken one does not', async () => {
    const script = renderMonitoring(nodeSpec())['monitoring/promtool.sh']!;
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(await shellcheckScript(script, 'style')).toEqual([]);
    expect((await shellcheckScript(script.replace('mkdir "$work/rules"', 'mkdir $work/rules'), 'style')).length).toBeGreaterThan(0);
  });

  it('actionlint catches a broken workflow (broken on purpose)', async () => {
    const text = renderMonitoring(nodeSpec())[PATH]!.replace('timeout-minutes: 10', 'timeout-minutes: ten');
    expect((await lintWorkflow(text, PATH)).length).toBeGreaterThan(0);
  });

  it('is hardened: read-only token, pinned actions, no credentials persisted, no expressions in run, timeouts', () => {
    const text = renderMonitoring(monorepoSpec())[PATH]!;
    const wf = parse(text) as { on: Record<string, { paths: string[] }>; permissions: unknown; concurrency: unknown; jobs: Record<string, { 'timeout-minutes': number; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }> };
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(wf.concurrency).toBeDefined();
    expect(wf.on['pull_request']?.paths).toContain('monitoring/**');
    for (const job of Object.values(wf.jobs)) {
      expect(job['timeout-minutes']).toBeGreaterThan(0);
      for (const step of job.steps) {
        if (step.uses) {
          expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
          if (step.uses.startsWith('actions/checkout')) expect(step.with?.['persist-credentials']).toBe(false);
        }
        if (step.run) expect(step.run).not.toContain('${{');
      }
    }
    expect(text).toMatch(/prom\/prometheus:v\d+\.\d+\.\d+/);
    expect(text).toMatch(/prom\/alertmanager:v\d+\.\d+\.\d+/);
    // The rules exist once (PrometheusRules): the job runs the script that extracts, checks and tests them.
    expect(text).toContain('--entrypoint sh -v "$PWD:/w:ro" -w /w "$PROMETHEUS_IMAGE" \\\n            monitoring/promtool.sh');
    expect(text).not.toContain('monitoring/rules');
    expect(text).toContain('--verify.receivers=slack-team-payments severity=ticket service=api slo=availability team=payments');
  });
});
