import { normalizeSpec } from '../../../src/spec/normalize.js';
import type { Spec } from '../../../src/spec/types.js';
import { CI_CASES } from './cases.js';

/**
 * Every CI render case on GitLab CI: the GitLab registry (or the case's cloud registry), cosign,
 * and app-token promotion (GitLab job tokens cannot open merge requests). Plus what only GitLab
 * has: a project in a subgroup on a self-managed instance with runner tags.
 */
function onGitlab(spec: Spec): Spec {
  const registry = spec.ci.registry === 'ghcr' ? 'gitlab' : spec.ci.registry;
  return {
    ...spec,
    ci: { ...spec.ci, provider: 'gitlab', registry, signing: 'cosign' },
    gitops: { ...spec.gitops, promotion: 'app-token' },
  };
}

export const GITLAB_CASES: Record<string, Spec> = {
  ...Object.fromEntries(Object.entries(CI_CASES).filter(([name]) => name !== 'signing-attestation').map(([name, spec]) => [name, onGitlab(spec)])),
  'self-managed-subgroup': normalizeSpec({
    version: 1,
    project: { name: 'shop', repository: 'acme/platform/shop' },
    practices: ['ci', 'gitops', 'monitoring'],
    ci: { provider: 'gitlab', gitlab: { url: 'https://gitlab.acme.io', registry: 'registry.acme.io', runnerTags: ['docker', 'linux'] } },
    gitops: { promotion: 'app-token' },
    services: [
      { name: 'api', path: 'services/api', language: 'node', commands: { lint: 'npm run lint', test: 'npm test' } },
      { name: 'root', path: '.', language: 'go', commands: { test: 'go test ./...' } },
    ],
  }),
};
