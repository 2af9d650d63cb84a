import type { Handbook } from '../types.js';

/** The infrastructure-as-code chapter of the handbook, in our own words, plus how state and locking work here. */
export const iacHandbook: Handbook = {
  summary: 'Infrastructure is declared in code, reviewed in pull requests, planned in CI and applied on merge.',
  what:
    'Infrastructure as code: networks, clusters, registries, databases and the identities CI uses are written as ' +
    'declarative Terraform, kept in Git beside the application and changed through pull requests like any other code. ' +
    'devops-init writes local modules under infra/modules (network, EKS, ECR, RDS PostgreSQL, OIDC roles for GitHub Actions or GitLab CI, the ' +
    'state bucket), one root per environment under infra/envs (staging, production) with its own remote state, a ' +
    'bootstrap root for the state bucket, terraform test files for every module, and three workflows: a plan on every ' +
    'pull request that touches infra/, an apply on merge behind each environment\'s reviewers, and a nightly drift check.',
  why:
    'A cluster clicked together in a console cannot be reviewed, repeated or rebuilt after a mistake. In code, every ' +
    'change has a diff, a reviewer and a plan that says exactly what will be created, changed or destroyed before it ' +
    'happens, and staging and production are built from the same modules, so they differ only where the code says they do.',
  pros: [
    'Reproducible environments',
    'Drift detection: the nightly plan shows when the real infrastructure no longer matches the code',
    'Every change reviewed with its plan before it is applied',
  ],
  cons: [
    'State management complexity: the state file must be stored, locked, encrypted and never lost',
    'A plan can only see what Terraform manages; changes made by hand elsewhere stay invisible',
  ],
  bestFor: 'All production infrastructure',
  notes: [
    'State: Terraform records what it created in a state file. Each environment keeps its own, in an S3 bucket per AWS ' +
      'account (<project>-tfstate-<account id>) under envs/<environment>/terraform.tfstate: versioned (any earlier state ' +
      'can be restored), encrypted with a customer-managed KMS key, public access blocked, TLS required. The state holds ' +
      'resource attributes, sometimes secrets: database passwords never enter it here (RDS keeps them in Secrets Manager).',
    'Locking: the S3 backend writes a lock object (terraform.tfstate.tflock) beside the state with a conditional write ' +
      '(use_lockfile, Terraform 1.11 or later; no DynamoDB table). A second plan or apply waits for it (-lock-timeout=5m) ' +
      'instead of corrupting the state. The read-only plan role may write only that lock object; the drift check plans ' +
      'with -lock=false so a nightly run never blocks an apply. A crashed run leaves the lock behind: remove it with ' +
      'terraform force-unlock <id> only when no run is active.',
    'The bucket cannot hold its own state before it exists: infra/bootstrap creates it (and the CI provider\'s OIDC provider and ' +
      'the plan and apply roles) once per account, run by an administrator with local state. After that CI plans and ' +
      'applies the environments; see docs/infrastructure.md.',
    'CI never holds cloud keys: every job assumes a role with its OIDC token, and each role trusts only this repository ' +
      'and the one ref or environment it needs — plans from pull requests and the default branch (read-only), applies ' +
      'only inside the protected staging or production environment, image pushes only from the default branch. On GitLab ' +
      'CI, whose tokens name a branch but never an environment: plans from any branch of the project, applies from the ' +
      'protected default branch in a manual job of the protected environment.',
    'Commit .terraform.lock.hcl of each root (terraform providers lock for every platform you run on) so every run uses ' +
      'the same provider builds; CI initialises with -lockfile=readonly and fails rather than change it.',
  ],
};
