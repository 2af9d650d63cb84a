import type { Emitter, FileSpec } from '../types.js';

/** Argo CD: AppProjects, Applications and ApplicationSets under `<gitops.dir>/argocd`. */
export const argocdEmitter: Emitter = {
  id: 'argocd',
  emit(model) {
    const argocd = model.argocd;
    if (!argocd) return [];
    const files: FileSpec[] = [];
    for (const f of argocd.files) {
      const objects = f.objects();
      // A file with nothing to hold (the platform project without platform apps) is not written.
      if (objects.length === 0) continue;
      files.push({ path: `${argocd.dir}/${f.file}`, template: 'kustomize/objects.yaml.hbs', data: { objects, comments: f.comments ?? [] }, ownership: 'managed', practice: f.owner });
    }
    return files;
  },
};
