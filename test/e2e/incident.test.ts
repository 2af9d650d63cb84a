import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, cli, commitAll, exists, makeRepo, read } from './helpers.js';

afterAll(cleanupRepos);

describe('e2e: add incident (built CLI)', () => {
  it('seeds a runbook per alert, writes the flags to devops.yaml, and check/sync guard a deleted runbook', async () => {
    const dir = makeRepo('node-npm');
    expect((await cli(dir, ['init', '--yes', '--practices', 'ci,gitops,monitoring'])).exitCode).toBe(0);
    commitAll(dir, 'init');
    const add = await cli(dir, ['add', 'incident', '--yes', '--on-call-tool', 'opsgenie', '--drill-cadence', 'monthly', '--postmortem-days', '4', '--escalation-contact', 'https://acme.app.opsgenie.com/schedule']);
    expect(add.exitCode, add.stderr + add.stdout).toBe(0);
    const yaml = read(dir, 'devops.yaml');
    expect(yaml).toContain('tool: opsgenie');
    expect(yaml).toContain('cadence: monthly');
    expect(yaml).toContain('postmortemBusinessDays: 4');
    expect(yaml).toContain('contact: https://acme.app.opsgenie.com/schedule');
    expect(add.stdout + add.stderr).toContain('<FILL: …> placeholders'); // the other two contacts
    const index = read(dir, 'docs/runbooks/README.md');
    const runbooks = [...index.matchAll(/\]\(([A-Za-z]+\.md)\)/g)].map((m) => m[1]!);
    expect(runbooks.length).toBeGreaterThan(3);
    for (const r of runbooks) expect(exists(dir, `docs/runbooks/${r}`)).toBe(true);
    expect(read(dir, '.github/workflows/incident-drill.yml')).toContain('"0 9 1 * *"');
    commitAll(dir, 'incident');
    const clean = await cli(dir, ['check']);
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toContain('warning: devops.yaml still holds <FILL: …> placeholders'); // two contacts left

    unlinkSync(join(dir, 'docs/runbooks', runbooks[0]!));
    const check = await cli(dir, ['check']);
    expect(check.exitCode).not.toBe(0);
    expect(check.stdout).toContain(`missing   docs/runbooks/${runbooks[0]}`);
    expect((await cli(dir, ['sync', '--yes'])).exitCode).toBe(0);
    expect(exists(dir, `docs/runbooks/${runbooks[0]}`)).toBe(true);
    expect((await cli(dir, ['check'])).exitCode).toBe(0);
  });

  it('rejects a bad flag value with exit 2 and writes nothing', async () => {
    const dir = makeRepo('node-npm');
    const r = await cli(dir, ['init', '--yes', '--practices', 'monitoring,incident', '--on-call-tool', 'pager']);
    expect(r.exitCode).toBe(2);
    expect(exists(dir, 'devops.yaml')).toBe(false);
  });
});

describe('e2e: doctor audit', () => {
  it('--json lists findings with file, why and fix; --strict exits 1 on them, plain doctor does not', async () => {
    const dir = makeRepo('node-npm');
    expect((await cli(dir, ['init', '--yes', '--practices', 'ci'])).exitCode).toBe(0);
    const r = await cli(dir, ['doctor', '--json']);
    const out = JSON.parse(r.stdout) as { ok: boolean; audit: { findings: { rule: string; file: string; why: string; fix: string }[] } };
    expect(r.exitCode).toBe(0);
    const preview = out.audit.findings.find((f) => f.rule === 'no-preview-environments')!;
    expect(preview.why).toContain('ephemeral preview environments per PR');
    expect(preview.fix).toContain('devops-init add gitops');
    const strict = await cli(dir, ['doctor', '--strict']);
    expect(strict.exitCode).toBe(1);
    expect(strict.stdout).toContain('no-preview-environments');
    // No drill or postmortem record: doctor says it cannot tell rather than passing.
    expect(strict.stdout).toMatch(/no-drill-last-quarter\s+cannot tell: no drill record in docs\/incident\/drills\//);
    expect(strict.stdout).toMatch(/no-postmortem-for-closed-incident\s+cannot tell: no postmortem in docs\/postmortems\//);
  });

  it('reads drill records from the repository: one from two years ago is a finding naming its file', async () => {
    const dir = makeRepo('node-npm');
    expect((await cli(dir, ['init', '--yes', '--practices', 'ci'])).exitCode).toBe(0);
    const year = new Date().getUTCFullYear() - 2;
    mkdirSync(join(dir, 'docs/incident/drills'), { recursive: true });
    writeFileSync(join(dir, `docs/incident/drills/${year}-Q1.md`), '# Drill\n');
    const out = JSON.parse((await cli(dir, ['doctor', '--json'])).stdout) as { audit: { findings: { rule: string; file: string }[]; skipped: { rule: string }[] } };
    expect(out.audit.findings.filter((f) => f.rule === 'no-drill-last-quarter').map((f) => f.file)).toEqual([`docs/incident/drills/${year}-Q1.md`]);
    expect(out.audit.skipped.map((s) => s.rule)).toEqual(['no-postmortem-for-closed-incident']);
  });
});
