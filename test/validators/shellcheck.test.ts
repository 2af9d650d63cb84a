import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOOD_WORKFLOW } from './workflow-fixture.js';
import { extractRunScripts, shellcheckFile, shellcheckWorkflow } from './shellcheck.js';
import { haveTool } from './tool.js';

describe.runIf(haveTool('shellcheck'))('shellcheck on run: scripts (Debian shellcheck)', () => {
  it('passes the run scripts of a clean workflow', async () => {
    expect(await shellcheckWorkflow(GOOD_WORKFLOW)).toEqual([]);
  });

  it('replaces ${{ }} before checking and honours shell:', () => {
    const wf = GOOD_WORKFLOW.replace('      - name: Greet', '      - shell: pwsh\n        run: Write-Host $x\n      - name: Greet');
    const scripts = extractRunScripts(wf.replace('echo "title: ${TITLE}"', 'echo ${{ github.sha }}'));
    expect(scripts).toHaveLength(1);
    expect(scripts[0]!.script).not.toContain('${{');
  });

  it('catches a warning-level mistake (cd without a failure check)', async () => {
    const broken = GOOD_WORKFLOW.replace('echo "title: ${TITLE}"', 'cd "$TITLE"');
    const findings = await shellcheckWorkflow(broken);
    expect(findings.join('\n')).toMatch(/SC2164/);
    expect(findings[0]).toMatch(/^jobs\.test\.steps\[1\]: line /);
  });

  it('catches an unquoted $VARIABLE at info severity (SC2086 is an info-level check)', async () => {
    const broken = GOOD_WORKFLOW.replace('echo "title: ${TITLE}"', 'echo $TITLE');
    expect(await shellcheckWorkflow(broken, 'warning')).toEqual([]);
    expect((await shellcheckWorkflow(broken, 'info')).join('\n')).toMatch(/SC2086/);
  });

  it('checks script files too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-'));
    try {
      const good = join(dir, 'good.sh');
      const bad = join(dir, 'bad.sh');
      writeFileSync(good, '#!/usr/bin/env bash\nset -euo pipefail\necho "$1"\n');
      writeFileSync(bad, '#!/bin/sh\nrm -rf $1/\n');
      expect(await shellcheckFile(good)).toEqual([]);
      expect((await shellcheckFile(bad)).join('\n')).toMatch(/SC2115/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
