import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolvedGitlabJobs } from '../../validators/gitlab-jobs.js';
import { parseSpec } from '../../../src/spec/load.js';
import { computeRepoTree } from '../../../src/tree/repo.js';

/**
 * Issue 9 #14, across everything devops-init writes for GitHub: no job both runs a third-party
 * scanner (on code the change controls) and holds a token that can push, sign or write. Every
 * workflow of every golden case is checked, so a new workflow (previews, infra, ...) cannot
 * bring the pattern back.
 */

type Obj = Record<string, any>;
const GOLDEN = fileURLToPath(new URL('../../golden/', import.meta.url));
const CASES = readdirSync(GOLDEN, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

const SCANNER_ACTIONS = ['aquasecurity/trivy-action@', 'anchore/scan-action@', 'snyk/actions', 'github/codeql-action/analyze@'];
const SCANNER_COMMANDS = /\b(trivy|grype|snyk)\s/;

/** Jobs that run a scanner while holding a write scope (job permissions, else the workflow's). */
export function scannerJobsWithWrites(text: string): string[] {
  const wf = parse(text) as Obj;
  const bad: string[] = [];
  for (const [id, job] of Object.entries((wf['jobs'] ?? {}) as Obj)) {
    const steps = (job['steps'] ?? []) as Obj[];
    const scans = steps.some((s) => SCANNER_ACTIONS.some((a) => String(s['uses'] ?? '').startsWith(a)) || SCANNER_COMMANDS.test(String(s['run'] ?? '')));
    if (!scans) continue;
    const perms = job['permissions'] ?? wf['permissions'];
    // No permissions anywhere: the repository's default token, which may be read-write.
    const writes = perms === undefined || perms === 'write-all' || (typeof perms === 'object' && Object.values(perms as Obj).some((v) => v === 'write'));
    if (writes) bad.push(id);
  }
  return bad;
}

function workflows(name: string): Map<string, string> {
  const tree = computeRepoTree(parseSpec(readFileSync(join(GOLDEN, name, 'devops.yaml'), 'utf8')).spec);
  return new Map(tree.paths().filter((p) => /^\.github\/workflows\/.+\.ya?ml$/.test(p)).map((p) => [p, tree.get(p)!.content]));
}

describe('no job both runs a scanner and holds a write scope, in any generated GitHub workflow (issue 9 #14)', () => {
  it('has GitHub cases, and some of them scan', () => {
    const scanning = CASES.filter((c) => [...workflows(c).values()].some((t) => t.includes('aquasecurity/trivy-action@')));
    expect(scanning.length).toBeGreaterThan(5);
  });

  it.each(CASES)('%s', (name) => {
    for (const [path, text] of workflows(name)) expect(scannerJobsWithWrites(text), path).toEqual([]);
  });

  it('would catch the previews workflow as it was (Trivy in the job with packages: write / id-token: write)', () => {
    const before = `
permissions: { contents: read }
jobs:
  image:
    permissions: { contents: read, packages: write }
    steps:
      - uses: aquasecurity/trivy-action@ed142fd0673e97e23eac54620cfb913e5ce36c25
      - uses: docker/build-push-action@53b7df96c91f9c12dcc8a07bcb9ccacbed38856a
`;
    expect(scannerJobsWithWrites(before)).toEqual(['image']);
    expect(scannerJobsWithWrites(before.replace('packages: write', 'id-token: write'))).toEqual(['image']);
    // A scanner job that inherits a write scope from the workflow, or runs trivy from a script.
    expect(scannerJobsWithWrites('permissions: { id-token: write }\njobs:\n  s:\n    steps:\n      - run: trivy image x\n')).toEqual(['s']);
    expect(scannerJobsWithWrites('permissions: { contents: read }\njobs:\n  s:\n    steps:\n      - run: trivy image x\n')).toEqual([]);
  });

  it('fails on the previews workflow as generated before this change (fixtures/previews-before-issue-9.yml, the shop golden)', () => {
    const before = readFileSync(fileURLToPath(new URL('fixtures/previews-before-issue-9.yml', import.meta.url)), 'utf8');
    expect(scannerJobsWithWrites(before)).toEqual(['image']);
    const now = (parse(workflows('shop').get('.github/workflows/previews.yml')!) as Obj)['jobs'] as Obj;
    expect(Object.keys(now)).toEqual(['image', 'push']);
    expect(now['image']['permissions']).toEqual({ contents: 'read' });
  });
});

/**
 * GitLab has no per-job token scopes: every job's CI_JOB_TOKEN (CI_REGISTRY_PASSWORD) can push to
 * the project's own container registry, whatever the job is. What a pipeline can control is
 * which jobs get OIDC ID tokens (id_tokens, for cloud registries and keyless signing) and which
 * job's files are pushed: the scan jobs get no ID token, and the push jobs take the archive from
 * the build job, never from the scanner's artifacts. docs/ci.md says the rest.
 */
describe('GitLab: scanner jobs get no ID token, and pushes never take the scanner\'s files (issue 9 #14)', () => {
  const gitlab = CASES.filter((c) => c.startsWith('gitlab-'));
  it.each(gitlab)('%s', (name) => {
    const tree = computeRepoTree(parseSpec(readFileSync(join(GOLDEN, name, 'devops.yaml'), 'utf8')).spec);
    // As GitLab runs them: the per-service jobs extend the shared templates.
    const jobs = new Map<string, Obj>([...resolvedGitlabJobs(tree.toRecord())].filter(([, v]) => 'script' in v.job).map(([k, v]) => [k, v.job as Obj]));
    const scanners = [...jobs].filter(([, j]) => /\btrivy\s/.test(JSON.stringify(j['script']))).map(([k]) => k);
    expect(scanners.length).toBeGreaterThan(0);
    for (const s of scanners) expect(jobs.get(s)!['id_tokens'], `${s} holds an ID token`).toBeUndefined();
    for (const [k, j] of jobs) {
      for (const n of (j['needs'] ?? []) as Obj[]) {
        if (typeof n === 'object' && scanners.includes(n['job']) && /skopeo copy/.test(JSON.stringify(j['script']))) {
          expect(n['artifacts'], `${k} takes artifacts from the scanner ${n['job']}`).toBe(false);
        }
      }
    }
  });
});
