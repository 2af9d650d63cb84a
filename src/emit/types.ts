import type { Model, Owner } from '../model/types.js';
import type { Ownership } from '../spec/types.js';

/** Extra Handlebars helpers a provider's templates use (e.g. GitHub's `pin` and `gh`). */
export type HelperSet = Readonly<Record<string, (...args: any[]) => unknown>>;

/** One file to render: a template, its data and who owns the result. */
export interface FileSpec {
  /** Repo-relative POSIX path. */
  path: string;
  /** Template path under templates/, e.g. "github/service-workflow.yml.hbs". */
  template: string;
  data: Record<string, unknown>;
  ownership: Ownership;
  /** The practice whose contribution this file renders (recorded in the lock). */
  practice: Owner;
  executable?: boolean;
  /** A seeded file `check` reports when missing (an alert's runbook). */
  required?: boolean;
  /** Seeded only together with this file (see FileContribution.companionOf). */
  companionOf?: string;
  /** Provider helpers the template needs, beyond the shared quoting helpers. */
  helpers?: HelperSet;
  /**
   * The one service this file renders: its bytes depend on that service's entry in devops.yaml
   * and on the settings outside `services:`, never on another service. `check` then reuses the
   * lock's hash for it when neither changed since the last sync, instead of rendering it
   * (src/tree/reuse.ts). Unset (the safe default): the file is always rendered. A wrong claim
   * would hide drift, so test/engine/service-scope.test.ts mutates each service of the golden
   * specs and proves every file claimed by another service renders byte-identical.
   */
  service?: string;
  /**
   * What else of devops.yaml this file of `service` reads, as data paths (keys joined by dots, list
   * positions as numbers): `services.0.metrics` for a PrometheusRule, whose alerts link the shared
   * dashboard named after how the service's metrics compare with the first service's. The lock's
   * hash is reused only when each of these is the same as data as at the last sync too.
   */
  alsoReads?: string[];
}

/**
 * An emitter turns one kind of model part into files for one provider or format (GitHub
 * Actions, GitLab CI, Kustomize, Argo CD, Prometheus, markdown…). It reads the model only,
 * never the practice list, and imports no practice.
 */
export interface Emitter {
  id: string;
  emit(model: Model): FileSpec[];
}
