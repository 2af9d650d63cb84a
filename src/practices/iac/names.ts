import type { Spec } from '../../spec/types.js';
import type { IacEnvironmentName } from './config.js';

/**
 * Names every IaC file, pipeline and doc agrees on. Role ARNs are deterministic (account id +
 * name), so CI can name the role it assumes before Terraform has run. Role names stay within
 * IAM's 64 characters: project names are at most 40 (the schema), environments at most 10.
 */

/** The folder holding everything Terraform. */
export const INFRA_DIR = 'infra';

export const rootDir = (env: IacEnvironmentName): string => `${INFRA_DIR}/envs/${env}`;
export const BOOTSTRAP_DIR = `${INFRA_DIR}/bootstrap`;

export const stateBucket = (spec: Spec, accountId: string): string => `${spec.iac.state.bucketPrefix}-${accountId}`;
export const stateKey = (env: IacEnvironmentName): string => `envs/${env}/terraform.tfstate`;
export const stateKmsAlias = (spec: Spec): string => `alias/${spec.iac.state.bucketPrefix}`;

export const clusterName = (spec: Spec, env: IacEnvironmentName): string => `${spec.project.name}-${env}`;

export const roleArn = (accountId: string, name: string): string => `arn:aws:iam::${accountId}:role/${name}`;
export const planRoleName = (spec: Spec, env: IacEnvironmentName): string => `${spec.project.name}-${env}-tf-plan`;
export const applyRoleName = (spec: Spec, env: IacEnvironmentName): string => `${spec.project.name}-${env}-tf-apply`;
export const imagePushRoleName = (spec: Spec): string => `${spec.project.name}-image-push`;
export const previewPushRoleName = (spec: Spec): string => `${spec.project.name}-preview-push`;

/** The environment whose account holds the container registry: production never depends on staging's account. */
export const REGISTRY_ENVIRONMENT: IacEnvironmentName = 'production';

export const ecrHost = (accountId: string, region: string): string => `${accountId}.dkr.ecr.${region}.amazonaws.com`;
/** ECR repository of a service: `<project>/<service>` (the same path ci used for ECR before iac). */
export const ecrRepositoryName = (spec: Spec, service: string): string => `${spec.project.name}/${service}`;

export const databaseIdentifier = (spec: Spec, env: IacEnvironmentName, service: string): string => `${spec.project.name}-${env}-${service}`;

/** The nightly drift check's cron (UTC): early morning, off the hour to spread GitHub's scheduler load. */
export const DRIFT_SCHEDULE = '17 4 * * *';
export const DRIFT_ISSUE_TITLE = 'Infrastructure drift detected';
