import type { Spec } from '../../../src/spec/types.js';
import { makeSpec } from '../../helpers/spec.js';

/** Accounts the iac cases use: staging and production apart, so cross-account pulls are rendered. */
export const ACCOUNTS = { staging: '111111111111', production: '222222222222' } as const;

const iac = (extra: Record<string, unknown> = {}) => ({
  region: 'eu-west-1',
  environments: { staging: { accountId: ACCOUNTS.staging }, production: { accountId: ACCOUNTS.production } },
  ...extra,
});

/** Everything iac renders: ECR (it provisions the registry), previews (a preview push role), two services, one database. */
export function fullSpec(): Spec {
  return makeSpec({
    practices: ['ci', 'gitops', 'iac'],
    ci: { registry: 'ecr' },
    iac: iac({ tags: { 'cost-center': '1234' } }),
    services: [
      { name: 'api', path: 'services/api', language: 'node', database: 'postgres', commands: { test: 'npm test' } },
      { name: 'worker', path: 'services/worker', language: 'go', commands: { test: 'go test ./...' } },
    ],
  });
}

/** iac with GHCR: no registry, no push roles, no database; both environments in one account. */
export function minimalSpec(): Spec {
  return makeSpec({
    practices: ['ci', 'iac'],
    iac: { region: 'us-east-2', environments: { staging: { accountId: ACCOUNTS.staging }, production: { accountId: ACCOUNTS.staging } } },
  });
}

/** The full case on GitLab CI: a project in a subgroup of a self-managed instance. */
export function gitlabSpec(): Spec {
  return makeSpec({
    practices: ['ci', 'gitops', 'iac'],
    project: { name: 'shop', repository: 'acme/platform/shop' },
    ci: { provider: 'gitlab', registry: 'ecr', gitlab: { url: 'https://gitlab.acme.io', registry: 'registry.acme.io' } },
    gitops: { promotion: 'app-token' },
    iac: iac(),
    services: [
      { name: 'api', path: 'services/api', language: 'node', database: 'postgres', commands: { test: 'npm test' } },
      { name: 'worker', path: 'services/worker', language: 'go', commands: { test: 'go test ./...' } },
    ],
  });
}
