import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderedFiles } from '../../helpers/spec.js';
import { makeSpec } from '../../helpers/spec.js';
import type { Spec } from '../../../src/spec/types.js';

type Obj = Record<string, any>;
const PROMOTE = '.github/workflows/promote.yml';
const promoteJob = (spec: Spec): Obj => {
  const text = renderedFiles(spec).find((f) => f.path === PROMOTE)!.content;
  return (parse(text) as Obj)['jobs']['promote'];
};
const gitops = (ci: Obj = {}) => makeSpec({ practices: ['ci', 'gitops'], ci });

/** Runs a step's script with `cosign`/`gh` stubs that log their arguments. */
function runLogged(step: Obj, tool: string, env: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'promote-verify-'));
  writeFileSync(join(dir, tool), `#!/bin/sh\nfor a in "$@"; do echo "$a"; done > "${join(dir, 'args')}"\n`, { mode: 0o755 });
  try {
    execFileSync('bash', ['-c', step['run']], { env: { ...process.env, ...env, PATH: `${dir}:${process.env['PATH']}` } });
    return readFileSync(join(dir, 'args'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Issue 9 #6: the production promotion verifies the digest it copies before opening the pull request. */
describe('production promotion verifies what it promotes', () => {
  const env = { SERVICE: 'api', IMAGE: 'ghcr.io/acme/shop/api', DIGEST: `sha256:${'c0ffee00'.repeat(8)}` };

  it('cosign: the signer must be the service\'s CI workflow on the default branch, issued by GitHub Actions; checked before the PR opens', () => {
    const job = promoteJob(gitops());
    const steps = job['steps'] as Obj[];
    const verify = steps.findIndex((s) => String(s['run'] ?? '').includes('cosign verify'));
    const pr = steps.findIndex((s) => String(s['uses'] ?? '').startsWith('peter-evans/create-pull-request@'));
    expect(verify).toBeGreaterThan(0);
    expect(verify).toBeLessThan(pr);
    expect(steps[verify]!['env']).toEqual({ SERVICE: '${{ inputs.service }}', IMAGE: '${{ steps.pin.outputs.image }}', DIGEST: '${{ steps.pin.outputs.digest }}' });
    const args = runLogged(steps[verify]!, 'cosign', env).trim().split('\n');
    expect(args).toEqual([
      'verify', `ghcr.io/acme/shop/api@${env.DIGEST}`,
      '--certificate-oidc-issuer', 'https://token.actions.githubusercontent.com',
      // The signing job runs in the shared image workflow: Fulcio's SAN is that file (job_workflow_ref).
      '--certificate-identity', 'https://github.com/acme/shop/.github/workflows/_image.yml@refs/heads/main',
    ]);
    expect(job['permissions']).toMatchObject({ packages: 'read' });
  });

  it('attestation: gh attestation verify bound to this repository and the CI workflow', () => {
    const steps = promoteJob(gitops({ signing: 'attestation' }))['steps'] as Obj[];
    const step = steps.find((s) => String(s['run'] ?? '').includes('gh attestation verify'))!;
    const args = runLogged(step, 'gh', env).trim().split('\n');
    expect(args).toEqual([
      'attestation', 'verify', `oci://ghcr.io/acme/shop/api@${env.DIGEST}`,
      '--repo', 'acme/shop',
      '--signer-workflow', 'acme/shop/.github/workflows/_image.yml',
      '--source-ref', 'refs/heads/main',
    ]);
    expect(steps.some((s) => String(s['run'] ?? '').includes('cosign'))).toBe(false);
  });

  it('a cloud registry it cannot read: no fake check; the pull request tells the reviewer, and says staging health is the reviewer\'s to check', () => {
    const job = promoteJob(gitops({ registry: 'ecr', aws: { region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/gha-push' } }));
    const steps = job['steps'] as Obj[];
    expect(steps.some((s) => /cosign|attestation verify/.test(String(s['run'] ?? '')))).toBe(false);
    const body = String(steps.find((s) => String(s['uses'] ?? '').startsWith('peter-evans/create-pull-request@'))!['with']['body']);
    expect(body).toMatch(/verify the digest was signed by this repository's CI/);
    expect(body).toMatch(/check in Argo CD that the staging Application .* is Synced and\s+Healthy/);
  });
});
