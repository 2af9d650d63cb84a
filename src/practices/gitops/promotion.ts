import type { Model, ProductionPromotionPipeline, PromotionToken } from '../../model/types.js';
import type { Spec } from '../../spec/types.js';
import { KUSTOMIZE_VERSION, UNPROMOTED_DIGEST, gitopsDir, overlayDir } from './names.js';

/**
 * Whose token opens the promotion change requests (the production promotion and CI's staging
 * one): `gitops.promotion: pull-request` → the pipeline's own; `app-token` → an app credential
 * the team sets up. Both promotions read it from here, so they always agree; the CI provider's
 * emitter decides how the credential is obtained.
 */
export function promotionToken(spec: Spec): PromotionToken {
  return spec.gitops.promotion === 'app-token' ? 'app' : 'pipeline';
}

/**
 * Adds promotion to CI: each service pipeline pins its new digest in the staging overlay
 * through a change request, and never runs for commits that only touch the GitOps folder
 * (a merged promotion would otherwise rebuild the same code and open the next promotion,
 * forever). A repository-wide pipeline promotes staging's digest to production.
 */
export function addPromotion(spec: Spec, model: Model): void {
  const token = promotionToken(spec);
  // Adopted services (services[].manifests) have no overlay to pin: their promotion is by hand.
  const adopted = new Set(spec.services.filter((s) => s.manifests).map((s) => s.name));
  for (const p of model.pipelines) {
    if (p.kind !== 'service') continue;
    p.ignorePaths.push(`${gitopsDir(spec)}/**`);
    if (adopted.has(p.service)) continue;
    const overlay = overlayDir(spec, { name: p.service }, 'staging');
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
    services: model.services.filter((svc) => !adopted.has(svc.name)).map((svc) => ({ name: svc.name, image: svc.image!.repository })),
    dir: gitopsDir(spec),
    kustomizeVersion: KUSTOMIZE_VERSION,
    unpromoted: UNPROMOTED_DIGEST,
    addPaths: `${gitopsDir(spec)}/*/overlays/production/kustomization.yaml`,
    token,
  };
  model.pipelines.push(production);
}
