import type { ObjectSchemaFor, PracticeConfig, ProjectIdentity } from '../../spec/config.js';
import type { SchemaIssue, SchemaNode } from '../../spec/validate-schema.js';
import type { Spec } from '../../spec/types.js';

/**
 * The `iac:` section of devops.yaml and `services[].database`.
 *
 * Seams: `tool` and `cloud` are enums with one value each. Another tool (pulumi, crossplane)
 * is another emitter reading the same model part (`model.infra`); another cloud (gcp: GKE,
 * Artifact Registry, Workload Identity Federation; azure: AKS, ACR, federated credentials) is
 * another set of modules and identities. Neither is listed until it validates offline.
 */
export const IAC_TOOLS = ['terraform'] as const;
export type IacTool = (typeof IAC_TOOLS)[number];
export const IAC_CLOUDS = ['aws'] as const;
export type IacCloud = (typeof IAC_CLOUDS)[number];

/** The environments IaC provisions, in apply order (the same ones the gitops overlays deploy to). */
export const IAC_ENVIRONMENTS = ['staging', 'production'] as const;
export type IacEnvironmentName = (typeof IAC_ENVIRONMENTS)[number];

/** Databases a service can ask for (`services[].database`). */
export const DATABASE_ENGINES = ['postgres'] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/** One environment's account and sizes. */
export interface IacEnvironment {
  /** The AWS account the environment lives in (staging and production may share one). Required once iac is enabled. */
  accountId?: string;
  network: {
    /** The VPC's IPv4 range (/16 to /20); private, public and database subnets are carved from it. */
    cidr: string;
    /** Availability zones to spread subnets and nodes across (EKS needs at least 2). */
    azCount: number;
    /** NAT gateways: one per AZ (an AZ outage cannot cut the others' egress) or a single one (cheaper). */
    natGateways: 'per-az' | 'single';
  };
  cluster: {
    /** Kubernetes minor version of the EKS control plane and node groups. */
    version: string;
    instanceTypes: string[];
    nodes: { min: number; max: number; desired: number };
    /**
     * CIDRs allowed to reach the public API endpoint. Empty (the default): the endpoint is
     * private, reachable only from inside the VPC (VPN, bastion, SSM).
     */
    publicAccessCidrs: string[];
  };
  /** Sizes of the PostgreSQL instance of each service with `database: postgres`. */
  database: {
    instanceClass: string;
    /** GiB at creation; storage autoscales up to maxAllocatedStorage. */
    allocatedStorage: number;
    maxAllocatedStorage: number;
    multiAz: boolean;
    backupRetentionDays: number;
  };
}

export interface IacConfig {
  tool: IacTool;
  cloud: IacCloud;
  /** The Terraform CLI version the pipelines install (state written by a newer one cannot be read by an older one). */
  terraformVersion: string;
  region: string;
  /** Remote state: one S3 bucket per account, named `<bucketPrefix>-<account id>` (bucket names are global). */
  state: { bucketPrefix: string };
  /** Extra tags on every resource (`project`, `environment`, `managed-by` and, where it applies, `service` are always set). */
  tags: Record<string, string>;
  environments: Record<IacEnvironmentName, IacEnvironment>;
}

const ACCOUNT = '^[0-9]{12}$';
const CIDR = '^([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$';
const VPC_CIDR = '^([0-9]{1,3}\\.){3}[0-9]{1,3}/(1[6-9]|20)$';
const TAG_VALUE = '^[A-Za-z0-9 _.:/=+@-]{0,256}$';

const environmentSchema: SchemaNode = {
  type: 'object',
  additionalProperties: false,
  properties: {
    accountId: { type: 'string', pattern: ACCOUNT, description: 'The 12-digit AWS account id of this environment (required once iac is enabled; staging and production may share one).' },
    network: {
      type: 'object', additionalProperties: false,
      properties: {
        cidr: { type: 'string', pattern: VPC_CIDR, description: 'VPC IPv4 range, a /16 to /20 (default 10.10.0.0/16 staging, 10.20.0.0/16 production).' },
        azCount: { type: 'integer', minimum: 2, maximum: 6, description: 'Availability zones for subnets and nodes (EKS needs 2 or more).' },
        natGateways: { enum: ['per-az', 'single'], description: 'per-az: a NAT gateway in every AZ (no single point of failure for egress); single: one, cheaper, for non-production.' },
      },
    },
    cluster: {
      type: 'object', additionalProperties: false,
      properties: {
        version: { type: 'string', pattern: '^1\\.[0-9]{2}$', description: 'EKS Kubernetes minor version, e.g. "1.34". Upgrade staging first.' },
        instanceTypes: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[a-z][a-z0-9-]*\\.[a-z0-9]+$' } },
        nodes: {
          type: 'object', additionalProperties: false, required: ['min', 'max', 'desired'],
          properties: { min: { type: 'integer', minimum: 1, maximum: 100 }, max: { type: 'integer', minimum: 1, maximum: 100 }, desired: { type: 'integer', minimum: 1, maximum: 100 } },
        },
        publicAccessCidrs: { type: 'array', uniqueItems: true, items: { type: 'string', pattern: CIDR }, description: 'CIDRs allowed to reach the public API endpoint; empty (default): private endpoint only.' },
      },
    },
    database: {
      type: 'object', additionalProperties: false,
      properties: {
        instanceClass: { type: 'string', pattern: '^db\\.[a-z0-9]+\\.[a-z0-9]+$' },
        allocatedStorage: { type: 'integer', minimum: 20, maximum: 65536 },
        maxAllocatedStorage: { type: 'integer', minimum: 20, maximum: 65536 },
        multiAz: { type: 'boolean' },
        backupRetentionDays: { type: 'integer', minimum: 1, maximum: 35 },
      },
    },
  },
};

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tool: { enum: [...IAC_TOOLS], description: 'Infrastructure-as-code tool: terraform (local modules, S3 state with lock files).' },
    cloud: { enum: [...IAC_CLOUDS], description: 'Cloud the modules target: aws (VPC, EKS, ECR, RDS PostgreSQL, OIDC roles for GitHub Actions or GitLab CI).' },
    terraformVersion: { type: 'string', pattern: '^1\\.(1[1-9]|[2-9][0-9])\\.[0-9]+$', description: 'Terraform CLI version the pipelines install (1.11 or later: S3 lock files).' },
    region: { type: 'string', pattern: '^[a-z]{2}(-gov)?-[a-z]+-[0-9]$', description: 'AWS region of every environment, e.g. eu-west-1.' },
    state: {
      type: 'object', additionalProperties: false,
      properties: { bucketPrefix: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$', description: 'State buckets are <bucketPrefix>-<account id> (default <project>-tfstate).' } },
    },
    tags: {
      type: 'object',
      propertyNames: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_.:/=+@-]{0,127}$' },
      additionalProperties: { type: 'string', pattern: TAG_VALUE },
      description: 'Extra tags on every resource, e.g. {cost-center: "1234"}.',
    },
    environments: {
      type: 'object', additionalProperties: false,
      properties: { staging: environmentSchema, production: environmentSchema },
    },
  },
} satisfies ObjectSchemaFor<IacConfig>;

function environmentDefaults(env: IacEnvironmentName): IacEnvironment {
  const production = env === 'production';
  return {
    network: { cidr: production ? '10.20.0.0/16' : '10.10.0.0/16', azCount: production ? 3 : 2, natGateways: production ? 'per-az' : 'single' },
    cluster: {
      version: '1.34',
      instanceTypes: [production ? 'm6i.large' : 't3.large'],
      nodes: production ? { min: 3, max: 6, desired: 3 } : { min: 2, max: 4, desired: 2 },
      publicAccessCidrs: [],
    },
    database: production
      ? { instanceClass: 'db.t4g.medium', allocatedStorage: 50, maxAllocatedStorage: 200, multiAz: true, backupRetentionDays: 14 }
      : { instanceClass: 'db.t4g.micro', allocatedStorage: 20, maxAllocatedStorage: 50, multiAz: false, backupRetentionDays: 7 },
  };
}

export function iacDefaults(project: ProjectIdentity): IacConfig {
  return {
    tool: 'terraform',
    cloud: 'aws',
    terraformVersion: '1.11.4',
    region: 'us-east-1',
    state: { bucketPrefix: `${project.name}-tfstate` },
    tags: {},
    environments: { staging: environmentDefaults('staging'), production: environmentDefaults('production') },
  };
}

/** The longest names AWS accepts for what we name after the project, environment and service. */
const LIMITS = { rdsIdentifier: 63, iamRole: 64 } as const;

/** Account ids (required once enabled), sizes that must agree, and names AWS would reject as too long. */
function validate(spec: Spec): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const iac = spec.iac;
  const enabled = spec.practices.includes('iac');
  for (const env of IAC_ENVIRONMENTS) {
    const e = iac.environments[env];
    const at = ['iac', 'environments', env];
    if (enabled && !e.accountId) {
      issues.push({ path: at, message: `iac needs the AWS account id of ${env}`, fix: `set iac.environments.${env}.accountId (or pass --${env}-account <12 digits> to devops-init add iac)` });
    }
    const n = e.cluster.nodes;
    if (n.min > n.max || n.desired < n.min || n.desired > n.max) {
      issues.push({ path: [...at, 'cluster', 'nodes'], message: `node group sizes must satisfy min ≤ desired ≤ max (got ${n.min} ≤ ${n.desired} ≤ ${n.max})`, fix: 'adjust min, desired and max' });
    }
    if (e.database.maxAllocatedStorage < e.database.allocatedStorage) {
      issues.push({ path: [...at, 'database', 'maxAllocatedStorage'], message: 'maxAllocatedStorage is below allocatedStorage', fix: 'make it at least allocatedStorage' });
    }
    for (const [i, svc] of spec.services.entries()) {
      if (!enabled || !svc.database) continue;
      const name = `${spec.project.name}-${env}-${svc.name}`;
      if (name.length > Math.min(LIMITS.rdsIdentifier, LIMITS.iamRole)) {
        issues.push({ path: ['services', i, 'database'], message: `the database and its role would be named "${name}" (${name.length} characters; AWS allows ${LIMITS.rdsIdentifier})`, fix: 'shorten project.name or the service name' });
      }
    }
  }
  return issues;
}

export const iacConfig: PracticeConfig = {
  practice: 'iac',
  // Its pipelines are rendered by the CI provider's emitter whether or not the ci practice is on;
  // ci reads what iac contributes (ci's `after`), so iac cannot require ci.
  requires: [],
  section: { key: 'iac', schema: schema as SchemaNode, defaults: iacDefaults },
  service: {
    schema: { database: { enum: [...DATABASE_ENGINES], description: 'A managed database this service needs, provisioned by the iac practice (RDS PostgreSQL, credentials in Secrets Manager).' } },
    defaults: () => ({}),
  },
  validate,
};
