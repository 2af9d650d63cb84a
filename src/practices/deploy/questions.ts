import type { Spec } from '../../spec/types.js';
import { STRATEGIES, type Strategy } from './config.js';
import type { Answers, Question, SpecEdit } from '../types.js';

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
  perService: true,
  informs: 'strategy',
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
  perService: true,
  informs: 'strategy',
  current: () => undefined,
  default: () => false,
  apply: () => [],
};

export const strategyQuestion: Question = {
  id: 'strategy',
  flag: '--strategy <strategy>',
  description: 'Deployment strategy for every service: rolling, bluegreen or canary',
  message: 'Deployment strategy (recommended from your answers, per the handbook table)',
  kind: 'select',
  choices: [
    { value: 'rolling', name: 'Rolling', description: 'Low risk, low complexity: most services' },
    { value: 'bluegreen', name: 'Blue/green', description: 'Low risk, medium complexity: stateful or DB-coupled services' },
    { value: 'canary', name: 'Canary', description: 'Lowest risk, high complexity: high-traffic critical paths' },
  ],
  perService: true,
  current: (spec: Spec, i?: number) => spec.services[i ?? 0]?.deploy.strategy,
  // The handbook's table, from the follow-up answers about this service.
  default: (_spec: Spec, answers: Answers, i?: number) =>
    recommendStrategy({ stateful: answers[`stateful@${i ?? 0}`] === true, highTraffic: answers[`highTraffic@${i ?? 0}`] === true }),
  validate: (value: string) =>
    (STRATEGIES as readonly string[]).includes(value) ? undefined : `Choose one of: ${STRATEGIES.join(', ')}`,
  // A flag answers for every service; devops.yaml keeps per-service strategies.
  apply: (_spec, value, i?: number): SpecEdit[] => [{ path: ['services', i ?? 0, 'deploy', 'strategy'], value }],
};

export const featureFlagsQuestion: Question = {
  id: 'featureFlags',
  flag: '--feature-flags',
  description: 'Add OpenFeature + flagd feature flags beside every service',
  message: 'Add feature flags (OpenFeature with a flagd sidecar)?',
  kind: 'confirm',
  perService: true,
  current: (spec: Spec, i?: number) => spec.services[i ?? 0]?.deploy.featureFlags,
  default: () => false,
  apply: (_spec, value, i?: number): SpecEdit[] => [{ path: ['services', i ?? 0, 'deploy', 'featureFlags'], value: asBool(value) }],
};

/** In the order the ask module should pose them: the follow-ups feed the strategy default. */
export const deployQuestions: Question[] = [statefulQuestion, highTrafficQuestion, strategyQuestion, featureFlagsQuestion];
