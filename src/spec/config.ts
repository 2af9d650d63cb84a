import type { SchemaIssue, SchemaNode } from './validate-schema.js';
import type { PracticeId, Spec } from './types.js';

/** What a practice's defaults may depend on: the project's identity. */
export interface ProjectIdentity {
  name: string;
  repository: string;
  defaultBranch: string;
  /** Where the repository lives (decides web links, e.g. the runbook base URL). */
  forge: 'github' | 'gitlab';
  /** The forge's web address without a trailing slash: https://github.com, or the GitLab instance (`ci.gitlab.url`). */
  webBase: string;
}

/**
 * A JSON Schema for an object whose keys are exactly T's: the type checker rejects a schema
 * that misses a key of T or adds one T does not have (`satisfies ObjectSchemaFor<T>`).
 */
export type ObjectSchemaFor<T> = SchemaNode & {
  type: 'object';
  additionalProperties: false;
  properties: { [K in keyof Required<T>]: SchemaNode };
};

/**
 * The part of devops.yaml a practice owns: its top-level section (`ci:`), keys inside each
 * service (`services[].deploy`), their schema fragments and defaults, and the checks a JSON
 * Schema cannot express. schema/devops.schema.json is composed from these (src/spec/schema.ts).
 */
export interface PracticeConfig {
  practice: PracticeId;
  /** Practices this one needs enabled: init and add enable them, remove refuses to orphan this one, validation rejects a spec without them. */
  requires: PracticeId[];
  /**
   * Practices whose contributions this one reads or amends when they are enabled, beyond
   * `requires` (e.g. observability adds env to gitops' workloads): it contributes after them.
   */
  after?: PracticeId[];
  /** The top-level section, e.g. `ci`, with its schema and defaults. */
  section?: { key: keyof Spec & string; schema: SchemaNode; defaults(project: ProjectIdentity): object };
  /** Keys of each service this practice owns, with their schemas and defaults (undefined: no default). */
  service?: { schema: Record<string, SchemaNode>; defaults(raw: Record<string, unknown>): Record<string, unknown> };
  /** Rules a JSON Schema cannot say; run on every spec (the keys may be set before the practice is enabled). */
  validate?(spec: Spec): SchemaIssue[];
}
