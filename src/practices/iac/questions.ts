import { UsageError } from '../../errors.js';
import type { Spec } from '../../spec/types.js';
import type { Question, SpecEdit } from '../types.js';
import type { IacEnvironmentName } from './config.js';

const ACCOUNT = /^[0-9]{12}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/;

/** The account id in ci.aws.roleArn, when devops.yaml already names an ECR push role. */
const ciAccount = (spec: Spec): string | undefined => spec.ci?.aws?.roleArn.split(':')[4];

export const regionQuestion: Question = {
  id: 'awsRegion',
  flag: '--aws-region <region>',
  description: 'AWS region of the staging and production infrastructure (e.g. eu-west-1)',
  message: 'AWS region for the infrastructure?',
  kind: 'input',
  current: (spec) => spec.iac?.region,
  default: (spec) => spec.ci?.aws?.region ?? 'us-east-1',
  validate: (v) => (REGION.test(v) ? undefined : 'use an AWS region name such as eu-west-1'),
  apply: (_spec, value) => [{ path: ['iac', 'region'], value }],
};

function accountQuestion(env: IacEnvironmentName): Question {
  return {
    id: `${env}Account`,
    flag: `--${env}-account <id>`,
    description: `12-digit AWS account id of ${env} (staging and production may share one)`,
    message: `AWS account id of ${env}?`,
    kind: 'input',
    current: (spec) => spec.iac?.environments[env].accountId,
    default: (spec, answers) =>
      spec.iac?.environments[env].accountId ?? (env === 'production' ? (answers['stagingAccount'] as string | undefined) : undefined) ?? ciAccount(spec) ?? '',
    validate: (v) => (ACCOUNT.test(v) ? undefined : 'an AWS account id is 12 digits'),
    // No account, no edit: validation then names the flag (there is no safe default account).
    apply: (_spec, value) => (value === '' ? [] : [{ path: ['iac', 'environments', env, 'accountId'], value: String(value) }]),
  };
}

export const productionNatQuestion: Question = {
  id: 'productionNat',
  flag: '--production-nat <mode>',
  description: 'NAT gateways in production: per-az (no single point of failure) or single (cheaper); staging uses one',
  message: 'NAT gateways for production?',
  kind: 'select',
  choices: [
    { value: 'per-az', name: 'One per availability zone', description: 'an AZ outage cannot cut the other zones\' egress (recommended)' },
    { value: 'single', name: 'A single NAT gateway', description: 'about a third of the cost; all egress fails with its zone' },
  ],
  current: (spec) => spec.iac?.environments.production.network.natGateways,
  default: () => 'per-az',
  apply: (_spec, value) => [{ path: ['iac', 'environments', 'production', 'network', 'natGateways'], value }],
};

export const kubernetesVersionQuestion: Question = {
  id: 'kubernetesVersion',
  flag: '--kubernetes-version <version>',
  description: 'EKS Kubernetes minor version of both clusters (e.g. 1.34)',
  message: 'Kubernetes version of the EKS clusters?',
  kind: 'input',
  current: (spec) => spec.iac?.environments.production.cluster.version,
  default: (spec) => spec.iac?.environments.production.cluster.version ?? '1.34',
  validate: (v) => (/^1\.[0-9]{2}$/.test(v) ? undefined : 'use a minor version such as 1.34'),
  apply: (_spec, value): SpecEdit[] => (['staging', 'production'] as const).map((env) => ({ path: ['iac', 'environments', env, 'cluster', 'version'], value })),
};

export const databasesQuestion: Question = {
  id: 'databases',
  flag: '--databases <services>',
  description: 'Comma-separated services that need a PostgreSQL database (RDS, credentials in Secrets Manager)',
  message: 'Which services need a PostgreSQL database? (comma-separated names, empty for none)',
  kind: 'input',
  current: (spec) => {
    const names = spec.services.filter((s) => s.database).map((s) => s.name);
    return names.length ? names.join(',') : undefined;
  },
  default: (spec) => spec.services.filter((s) => s.database).map((s) => s.name).join(','),
  validate: (v) => (/^([a-z][-a-z0-9]*(,[a-z][-a-z0-9]*)*)?$/.test(v.replace(/\s+/g, '')) ? undefined : 'list service names separated by commas'),
  apply: (spec, value) => {
    const names = String(value).split(',').map((s) => s.trim()).filter(Boolean);
    const edits: SpecEdit[] = [];
    for (const name of names) {
      const i = spec.services.findIndex((s) => s.name === name);
      if (i < 0) throw new UsageError(`--databases: no service named "${name}".`, `Services: ${spec.services.map((s) => s.name).join(', ')}.`);
      edits.push({ path: ['services', i, 'database'], value: 'postgres' });
    }
    return edits;
  },
};

export const iacQuestions: Question[] = [regionQuestion, accountQuestion('staging'), accountQuestion('production'), productionNatQuestion, kubernetesVersionQuestion, databasesQuestion];
