import { describe, expect, it } from 'vitest';
import { computeModel } from '../../../src/tree/compute.js';
import { iacQuestions } from '../../../src/practices/iac/questions.js';
import { parseSpec } from '../../../src/spec/load.js';
import { makeSpec } from '../../helpers/spec.js';
import { ACCOUNTS, fullSpec, gitlabSpec, minimalSpec } from './cases.js';

/** The infra model part, how ci reads it, and the iac section's checks. */

const specText = (iac: string, extra = '') => `version: 1
project: { name: shop, repository: acme/shop }
practices: [ci, iac]
${extra}iac:
${iac}
services:
  - { name: api, path: ., language: node }
`;

describe('the infra model part', () => {
  const model = computeModel(fullSpec());
  const infra = model.infra!;

  it('exports both environments with their state, cluster and databases', () => {
    expect(infra.environments.map((e) => [e.name, e.accountId, e.state.bucket, e.state.key, e.cluster.name])).toEqual([
      ['staging', ACCOUNTS.staging, `shop-tfstate-${ACCOUNTS.staging}`, 'envs/staging/terraform.tfstate', 'shop-staging'],
      ['production', ACCOUNTS.production, `shop-tfstate-${ACCOUNTS.production}`, 'envs/production/terraform.tfstate', 'shop-production'],
    ]);
    expect(infra.environments[1]!.databases).toEqual([{ service: 'api', engine: 'postgres', identifier: 'shop-production-api', podRole: 'shop-production-api', namespace: 'shop-production', serviceAccount: 'api' }]);
    expect(infra.environments[0]!.tags).toEqual({ 'cost-center': '1234', project: 'shop', environment: 'staging', 'managed-by': 'terraform', repository: 'acme/shop' });
  });

  it('every CI identity trusts exact subjects: plans from PRs and main, applies per environment, pushes from main', () => {
    expect(infra.identities.map((i) => [i.name, i.arn, i.subjects])).toEqual([
      ['shop-staging-tf-plan', `arn:aws:iam::${ACCOUNTS.staging}:role/shop-staging-tf-plan`, ['pull_request', 'ref:refs/heads/main']],
      ['shop-staging-tf-apply', `arn:aws:iam::${ACCOUNTS.staging}:role/shop-staging-tf-apply`, ['environment:staging']],
      ['shop-production-tf-plan', `arn:aws:iam::${ACCOUNTS.production}:role/shop-production-tf-plan`, ['pull_request', 'ref:refs/heads/main']],
      ['shop-production-tf-apply', `arn:aws:iam::${ACCOUNTS.production}:role/shop-production-tf-apply`, ['environment:production']],
      ['shop-image-push', `arn:aws:iam::${ACCOUNTS.production}:role/shop-image-push`, ['ref:refs/heads/main']],
      ['shop-preview-push', `arn:aws:iam::${ACCOUNTS.production}:role/shop-preview-push`, ['pull_request']],
    ]);
  });

  it('the issuer is the CI provider\'s: GitHub here; on GitLab the instance, project_path subjects, branches only', () => {
    expect(infra.ciIssuer).toEqual({ provider: 'github', url: 'https://token.actions.githubusercontent.com', audience: 'sts.amazonaws.com', subjectPrefix: 'repo:acme/shop:' });
    const gitlab = computeModel(gitlabSpec());
    expect(gitlab.infra!.ciIssuer).toEqual({ provider: 'gitlab', url: 'https://gitlab.acme.io', audience: 'sts.amazonaws.com', subjectPrefix: 'project_path:acme/platform/shop:' });
    expect(gitlab.infra!.identities.map((i) => [i.name, i.subjects])).toEqual([
      ['shop-staging-tf-plan', ['ref_type:branch:ref:*']],
      ['shop-staging-tf-apply', ['ref_type:branch:ref:main']],
      ['shop-production-tf-plan', ['ref_type:branch:ref:*']],
      ['shop-production-tf-apply', ['ref_type:branch:ref:main']],
      ['shop-image-push', ['ref_type:branch:ref:main']],
      ['shop-preview-push', ['ref_type:branch:ref:*']],
    ]);
    expect(gitlab.pipelines.filter((p) => p.kind.startsWith('infra-')).map((p) => (p as { oidcAudience: string }).oidcAudience)).toEqual(['sts.amazonaws.com', 'sts.amazonaws.com', 'sts.amazonaws.com']);
  });

  it('ci reads the registry through model.registry: the push roles and the production account\'s ECR', () => {
    expect(model.registry).toEqual({ kind: 'ecr', host: `${ACCOUNTS.production}.dkr.ecr.eu-west-1.amazonaws.com`, region: 'eu-west-1', roleArn: `arn:aws:iam::${ACCOUNTS.production}:role/shop-image-push`, previewRoleArn: `arn:aws:iam::${ACCOUNTS.production}:role/shop-preview-push` });
    expect(model.services.map((s) => s.image!.repository)).toEqual([`${ACCOUNTS.production}.dkr.ecr.eu-west-1.amazonaws.com/shop/api`, `${ACCOUNTS.production}.dkr.ecr.eu-west-1.amazonaws.com/shop/worker`]);
    expect(infra.registry!.pullAccounts).toEqual([ACCOUNTS.staging]);
  });

  it('ci.aws is ignored when iac provisions the registry, with a warning', () => {
    const spec = makeSpec({ ...fullSpec(), ci: { registry: 'ecr', aws: { region: 'us-west-2', roleArn: 'arn:aws:iam::999999999999:role/old' } } });
    const m = computeModel(spec);
    expect((m.registry as { roleArn: string }).roleArn).toBe(`arn:aws:iam::${ACCOUNTS.production}:role/shop-image-push`);
    expect(m.warnings.map((w) => w.text)).toEqual([expect.stringContaining('ci.aws is ignored while iac provisions the registry')]);
  });

  it('without ECR: no registry, no push roles; ci keeps its own registry', () => {
    const m = computeModel(minimalSpec());
    expect(m.infra!.registry).toBeUndefined();
    expect(m.infra!.identities.map((i) => i.purpose)).toEqual(['terraform-plan', 'terraform-apply', 'terraform-plan', 'terraform-apply']);
    expect(m.registry!.kind).toBe('ghcr');
  });
});

describe('the iac section of devops.yaml', () => {
  const error = (text: string): string => {
    try {
      parseSpec(text);
      return '';
    } catch (e) {
      return String((e as Error).message);
    }
  };
  const accounts = `  environments:\n    staging: { accountId: "111111111111" }\n    production: { accountId: "222222222222" }`;

  it('valid with both accounts; ecr needs no ci.aws with iac on', () => {
    expect(error(specText(`  region: eu-west-1\n${accounts}`, 'ci: { registry: ecr }\n'))).toBe('');
  });

  it('names the missing account and the flag that sets it', () => {
    expect(error(specText('  region: eu-west-1'))).toMatch(/iac needs the AWS account id of staging — set iac\.environments\.staging\.accountId \(or pass --staging-account/);
  });

  it('rejects bad node sizes and names AWS would refuse; GitLab CI is accepted', () => {
    expect(error(specText(`${accounts.replace('staging: { accountId: "111111111111" }', 'staging: { accountId: "111111111111", cluster: { nodes: { min: 3, max: 2, desired: 2 } } }')}`))).toContain('min ≤ desired ≤ max');
    const long = specText(accounts).replace('name: shop', `name: ${'s'.repeat(40)}`).replace('{ name: api, path: ., language: node }', '{ name: api-service-with-a-long-name, path: ., language: node, database: postgres }');
    expect(error(long)).toContain('AWS allows 63');
    expect(error(specText(`  region: eu-west-1\n  environments:\n    staging: { accountId: "12345" }`))).toMatch(/devops.yaml:7:\d+: "12345" is not allowed/);
  });

  it('GitLab CI is accepted (its pipelines and trust policies are rendered)', () => {
    expect(error(specText(accounts, 'ci: { provider: gitlab, registry: gitlab }\n'))).toBe('');
  });

  it('questions: --databases names services, and an unknown one is an error', () => {
    const q = iacQuestions.find((x) => x.id === 'databases')!;
    const spec = fullSpec();
    expect(q.apply(spec, 'worker,api')).toEqual([{ path: ['services', 1, 'database'], value: 'postgres' }, { path: ['services', 0, 'database'], value: 'postgres' }]);
    expect(() => q.apply(spec, 'nope')).toThrow('no service named "nope"');
    const account = iacQuestions.find((x) => x.id === 'stagingAccount')!;
    expect(account.validate!('123')).toBe('an AWS account id is 12 digits');
    expect(account.apply(spec, '')).toEqual([]);
  });
});
