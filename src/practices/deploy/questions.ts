import { STRATEGIES, type Spec, type Strategy } from '../../spec/types.js';
import type { Question, SpecEdit } from '../types.js';

/** What we ask about a service to recommend a strategy (the handbook's table). */
export interface StrategyAnswers {
  /** Stateful, or coupled to a database schema that old and new versions cannot share. */
  stateful: boolean;
  /** High traffic on a critical path (checkout, login, payments). */
  highTraffic: boolean;
}

/**
 * The handbook's strategy table as a rule:
 * - stateful or DB-coupled → blue/green (one version serves at a time; switch and switch back whole);
 * - high-traffic critical path → canary (lowest risk: a small share sees the change first, judged by SLOs);
 * - everything else → rolling (low risk, low complexity).
 * Stateful wins over high traffic: a canary runs two versions side by side, which is
 * exactly what a schema-coupled service cannot do.
 */
export function recommendStrategy(answers: StrategyAnswers): Strategy {
  if (answers.stateful) return 'bluegreen';
  if (answers.highTraffic) return 'canary';
  return 'rolling';
}

const asBool = (v: string | boolean): boolean => v === true || v === 'true';

/** Follow-up question (asked before `strategy` to pick its default); not stored in devops.yaml. */
export const statefulQuestion: Question = {
  id: 'stateful',
  flag: '--stateful',
  description: 'The service is stateful or coupled to a database schema (recommends blue/green)',
  message: 'Is the service stateful or coupled to a database schema that two versions cannot share?',
  kind: 'confirm',
  current: () => undefined,
  default: () => false,
  apply: () => [],
};

/** Follow-up question (asked before `strategy` to pick its default); not stored in devops.yaml. */
export const highTrafficQuestion: Question = {
  id: 'highTraffic',
  flag: '--high-traffic',
  description: 'The service is a high-traffic critical path (recommends canary)',
  message: 'Is the service a high-traffic critical path (e.g. checkout, login)?',
  kind: 'confirm',
  current: () => undefined,
  default: () => false,
  apply: () => [],
};

export const strategyQuestion: Question = {
  id: 'strategy',
  flag: '--strategy <strategy>',
  description: 'Deployment strategy for every service: rolling, bluegreen or canary',
  message: 'Which deployment strategy?',
  kind: 'select',
  choices: [
    { value: 'rolling', name: 'Rolling', description: 'Low risk, low complexity: most services' },
    { value: 'bluegreen', name: 'Blue/green', description: 'Low risk, medium complexity: stateful or DB-coupled services' },
    { value: 'canary', name: 'Canary', description: 'Lowest risk, high complexity: high-traffic critical paths' },
  ],
  current(spec: Spec) {
    const strategies = new Set(spec.services.map((s) => s.deploy.strategy));
    return strategies.size === 1 ? [...strategies][0] : undefined;
  },
  default: () => 'rolling',
  validate: (value: string) =>
    (STRATEGIES as readonly string[]).includes(value) ? undefined : `Choose one of: ${STRATEGIES.join(', ')}`,
  // A flag answer applies to every service; devops.yaml keeps per-service strategies.
  apply: (spec, value): SpecEdit[] => spec.services.map((_s, i) => ({ path: ['services', i, 'deploy', 'strategy'], value })),
};

export const featureFlagsQuestion: Question = {
  id: 'featureFlags',
  flag: '--feature-flags',
  description: 'Add OpenFeature + flagd feature flags beside every service',
  message: 'Add feature flags (OpenFeature with a flagd sidecar)?',
  kind: 'confirm',
  current(spec: Spec) {
    const values = new Set(spec.services.map((s) => s.deploy.featureFlags));
    return values.size === 1 ? [...values][0] : undefined;
  },
  default: () => false,
  apply: (spec, value): SpecEdit[] =>
    spec.services.map((_s, i) => ({ path: ['services', i, 'deploy', 'featureFlags'], value: asBool(value) })),
};

/** In the order the ask module should pose them: the follow-ups feed the strategy default. */
export const deployQuestions: Question[] = [statefulQuestion, highTrafficQuestion, strategyQuestion, featureFlagsQuestion];
