import type { Model } from '../model/types.js';
import type { PracticeConfig } from '../spec/config.js';
import type { PracticeId, Spec } from '../spec/types.js';

/** The handbook's account of a practice, in our own words; powers `explain` and generated docs. */
export interface Handbook {
  /** One line: what the practice is. */
  summary: string;
  /** What it is and what we generate for it. */
  what: string;
  /** Why a team wants it. */
  why: string;
  pros: string[];
  cons: string[];
  bestFor: string;
  /** Extra sections (tables, tips), printed after the main text. */
  notes?: string[];
}

export type { Ownership } from '../spec/types.js';

/** A value set in devops.yaml by an answer: `path` is a key path into the spec. */
export interface SpecEdit {
  path: (string | number)[];
  value: unknown;
}

export interface Choice {
  value: string;
  name: string;
  description?: string;
}

/** Answers given so far in this run, by question id (per-service ones as `id@<service index>`). */
export type Answers = Record<string, string | boolean>;

/**
 * A question a practice can ask. Every question has a flag and a default; the ask
 * module resolves flags > devops.yaml > prompt > detected default.
 */
export interface Question {
  /** Stable id, also the option name: id "registry" ↔ flag "--registry <value>". */
  id: string;
  /** Commander flag syntax, e.g. "--registry <registry>" or "--feature-flags". */
  flag: string;
  description: string;
  message: string;
  kind: 'select' | 'input' | 'confirm';
  choices?: Choice[];
  /**
   * Asked once per service (the prompt names the service); the flag, when given, answers
   * for every service. `service` below is then the service's index. Its edits must touch
   * only that service: the answers for all services are applied to the spec together.
   */
  perService?: boolean;
  /**
   * Id of the question this one only helps to answer (its answer feeds that question's
   * default). Skipped when that question is already answered by a flag or devops.yaml.
   */
  informs?: string;
  /** The answer devops.yaml already holds, or undefined when it holds none. */
  current(spec: Spec, service?: number): string | boolean | undefined;
  /** The answer to use when nobody answers. */
  default(spec: Spec, answers: Answers, service?: number): string | boolean;
  /** Check and convert a flag or typed value; return an error message when invalid. */
  validate?(value: string): string | undefined;
  /** Edits that record the answer in devops.yaml. */
  apply(spec: Spec, value: string | boolean, service?: number): SpecEdit[];
}

/**
 * A practice: data (handbook, questions, its own spec section) plus one pure function that
 * contributes to the model. It never imports another practice: what it needs from others it
 * reads from the model, which the practices it comes after (`config.requires` and
 * `config.after`) have filled. Emitters write the files.
 */
export interface Practice {
  id: PracticeId;
  title: string;
  handbook: Handbook;
  /** The systems this practice can write for, and the devops.yaml key that picks one (shown by list and explain). */
  providers?: { key: string; choices: Choice[] };
  /** Its part of devops.yaml (section, service keys, schema, defaults, checks) and what it needs (`requires`, `after`). */
  config: PracticeConfig;
  questions: Question[];
  /**
   * Enabled only when asked for by name (`--practices`, `add`, or ticked in the prompt), never
   * by `init --yes`'s "every practice": iac creates cloud resources in accounts it cannot guess.
   */
  optIn?: boolean;
  /** Add this practice's part of the setup to the model; read and amend earlier practices' parts. Pure. */
  contribute(spec: Spec, model: Model): void;
}
