import { ACTION_PINS } from '../../data/action-pins.js';
import type { Model, ProductionPromotionPipeline, PromotionToken } from '../../model/types.js';
import type { Spec } from '../../spec/types.js';
import { KUSTOMIZE_VERSION, UNPROMOTED_DIGEST, gitopsDir, overlayDir } from './names.js';

const APP_TOKEN_ACTION = 'actions/create-github-app-token';

/**
 * Which token opens the promotion pull requests (the production promotion and CI's staging PR):
 * - `github-token` (promotion: pull-request): the pipeline's own token; checks do not start on
 *   a PR it opens (events it causes start no workflows).
 * - `stored-token` (promotion: app-token): the PROMOTION_TOKEN secret the team stores (on GitLab,
 *   a project access token in the PROMOTION_TOKEN CI/CD variable: job tokens cannot open merge requests).
 * - `minted-app-token` (promotion: app-token, once src/data/action-pins.ts has a verified pin of
 *   actions/create-github-app-token): minted per run from a GitHub App.
 * Both promotions read it from here, so they always agree.
 */
export function promotionToken(spec: Spec): PromotionToken {
  if (spec.gitops.promotion !== 'app-token') return 'github-token';
  // GitLab: a project access token stored as the PROMOTION_TOKEN CI/CD variable (no App minting).
  if (spec.ci.provider === 'gitlab') return 'stored-token';
  return APP_TOKEN_ACTION in ACTION_PINS ? 'minted-app-token' : 'stored-token';
}

/**
 * Adds promotion to CI: each service pipeline pins its new digest in the staging overlay
 * through a change request, and never runs for commits that only touch the GitOps folder
 * (a merged promotion would otherwise rebuild the same code and open the next promotion,
 * forever). A repository-wide pipeline promotes staging's digest to production.
 */
export function addPromotion(spec: Spec, model: Model): void {
  const token = promotionToken(spec);
  for (const p of model.pipelines) {
    if (p.kind !== 'service') continue;
    const overlay = overlayDir(spec, { name: p.service }, 'staging');
    p.ignorePaths.push(`${gitopsDir(spec)}/**`);
    p.promote = {
      overlayDir: overlay,
      kustomization: `${overlay}/kustomization.yaml`,
      kustomizeVersion: KUSTOMIZE_VERSION,
      // Its own branch namespace: the production promotion uses promote/<service>.
      branch: `promote-staging/${p.service}`,
      token,
    };
  }
  const production: ProductionPromotionPipeline = {
    kind: 'promote-production',
    id: 'promote',
    owner: 'gitops',
    services: model.services.map((svc) => ({ name: svc.name, image: svc.image!.repository })),
    dir: gitopsDir(spec),
    kustomizeVersion: KUSTOMIZE_VERSION,
    unpromoted: UNPROMOTED_DIGEST,
    addPaths: `${gitopsDir(spec)}/*/overlays/production/kustomization.yaml`,
    token,
  };
  model.pipelines.push(production);
}
