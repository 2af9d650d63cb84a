import type { Service, Spec } from '../../spec/types.js';
import { imageRepository } from '../shared/image.js';
import { FLAGS_FILE, flagsConfigMapName } from '../deploy/flagd.js';
import { rolloutPatch, rolloutResources } from '../deploy/rollout.js';
import {
  ENVIRONMENT_LABEL,
  UNBUILT_PREVIEW_TAG,
  UNPROMOTED_DIGEST,
  VERSION_ANNOTATION,
  flagsOn,
  namespaceFor,
  previewNamespacePlaceholder,
  usesRollout,
  type OverlayName,
} from './model.js';

/**
 * Data for the kustomization.yaml templates. The overlay files are written in the
 * exact layout `kustomize edit` produces (field order kept, nested keys sorted, lists
 * not indented), so CI's `kustomize edit set image` changes only the image lines and
 * `devops-init sync` can three-way merge around them.
 */

export function baseResources(spec: Spec, svc: Service): string[] {
  const workload = usesRollout(spec, svc) ? rolloutResources(spec, svc) : ['deployment.yaml'];
  return [...workload, 'service.yaml', 'serviceaccount.yaml', 'hpa.yaml', 'pdb.yaml'];
}

export function baseKustomizationData(spec: Spec, svc: Service): Record<string, unknown> {
  return {
    service: svc.name,
    resources: baseResources(spec, svc),
    flags: flagsOn(spec, svc)
      ? { configMap: flagsConfigMapName(svc), file: FLAGS_FILE, source: `${FLAGS_FILE}=flags/${FLAGS_FILE}` }
      : false,
    labels: { name: svc.name, partOf: spec.project.name },
  };
}

export function workloadKind(spec: Spec, svc: Service): 'Deployment' | 'Rollout' {
  return usesRollout(spec, svc) ? 'Rollout' : 'Deployment';
}

/** Patch files an overlay applies (HPA bounds always; the Rollout patch when the strategy has one). */
export function overlayPatches(spec: Spec, svc: Service, overlay: OverlayName): string[] {
  return ['patch-hpa.yaml', ...(rolloutPatch(spec, svc, overlay) ? ['patch-rollout.yaml'] : [])];
}

/** The replacement that copies the pinned image's digest (or tag) onto the pod template. */
export function versionReplacement(spec: Spec, svc: Service, delimiter: '@' | ':'): Record<string, unknown> {
  return {
    kind: workloadKind(spec, svc),
    name: svc.name,
    fieldPath: `spec.template.spec.containers.[name=${svc.name}].image`,
    delimiter,
    target: `spec.template.metadata.annotations.[${VERSION_ANNOTATION}]`,
  };
}

export function overlayKustomizationData(spec: Spec, svc: Service, overlay: OverlayName): Record<string, unknown> {
  const repo = imageRepository(spec, svc);
  const preview = overlay === 'preview';
  return {
    service: svc.name,
    overlay,
    namespace: preview ? previewNamespacePlaceholder(spec) : namespaceFor(spec, overlay),
    environmentLabel: ENVIRONMENT_LABEL,
    // kustomize only knows built-in workloads' pod templates; name the Rollout's.
    rollout: usesRollout(spec, svc),
    patches: overlayPatches(spec, svc, overlay),
    image: preview ? { name: repo, tag: UNBUILT_PREVIEW_TAG } : { name: repo, digest: UNPROMOTED_DIGEST },
    // Previews get the version annotation in the previews kustomization, after Argo CD set the PR tag.
    replacement: preview ? false : versionReplacement(spec, svc, '@'),
    promotedBy: overlay === 'staging' ? 'ci' : overlay === 'production' ? 'promote' : 'argocd',
  };
}

/** The previews kustomization: one namespace with every service's preview overlay. */
export function previewsKustomizationData(spec: Spec): Record<string, unknown> {
  return {
    namespace: previewNamespacePlaceholder(spec),
    services: spec.services.map((svc) => ({
      name: svc.name,
      image: imageRepository(spec, svc),
      replacement: versionReplacement(spec, svc, ':'),
    })),
  };
}
