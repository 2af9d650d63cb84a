import { ACTION_PINS } from '../../data/action-pins.js';
import { InternalError } from '../../errors.js';
import type { HelperSet } from '../types.js';

/**
 * A GitHub Actions expression `${{ expr }}`. Only for expressions the emitter writes; values
 * from devops.yaml never go through here.
 */
export function ghExpression(expr: string): string {
  return '${{ ' + expr + ' }}';
}

/** `actions/checkout` → `actions/checkout@<40-hex sha> # v7.0.1` (verified pins only). */
export function pinnedAction(action: string): string {
  const [owner, repo] = action.split('/');
  const key = `${owner}/${repo}` as keyof typeof ACTION_PINS;
  const pin = ACTION_PINS[key];
  if (!pin) throw new InternalError(`No verified pin for action ${action}; add it to src/data/action-pins.ts`);
  return `${action}@${pin.sha} # ${pin.tag}`;
}

/** Whether a verified pin exists for an action (features that need it stay off until it does). */
export function hasPin(action: string): boolean {
  return action in ACTION_PINS;
}

/** The helpers GitHub Actions templates use: `{{pin "owner/repo"}}` and `{{gh "expression"}}`. */
export const GITHUB_HELPERS: HelperSet = {
  pin: (action: string) => pinnedAction(action),
  gh: (expr: string) => ghExpression(expr),
};
