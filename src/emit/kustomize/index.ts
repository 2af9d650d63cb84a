import { ENVIRONMENT_LABEL, VERSION_ANNOTATION } from '../../model/labels.js';
import type { ManifestDir, ManifestFile, Model, Owner, WorkloadModel } from '../../model/types.js';
import type { Emitter, FileSpec } from '../types.js';

/**
 * Kustomize: each workload's base and overlays, the preview environment, and plain manifest
 * folders (platform components). Overlay kustomizations are written in the exact layout
 * `kustomize edit` produces (field order kept, nested keys sorted, lists not indented), so
 * CI's `kustomize edit set image` changes only the image lines and `devops-init sync` can
 * three-way merge around them.
 */

const OBJECTS = 'kustomize/objects.yaml.hbs';

/** A resource file: its objects (computed now, every practice has contributed) and comment header. */
export function objectsFile(path: string, f: ManifestFile, owner: Owner): FileSpec {
  const comments = f.comments ?? [];
  for (const c of comments) if (/[\r\n]/.test(c)) throw new Error(`comment for ${path} spans lines`);
  return { path, template: OBJECTS, data: { objects: f.objects(), comments }, ownership: 'managed', practice: f.owner ?? owner };
}

/** The replacement that copies the pinned image's digest (or tag) onto the pod template. */
function versionReplacement(w: WorkloadModel, delimiter: '@' | ':'): Record<string, unknown> {
  // A CronJob's pod template sits under its job template.
  const template = w.kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template';
  return {
    kind: w.kind,
    name: w.service,
    fieldPath: `${template}.spec.containers.[name=${w.service}].image`,
    delimiter,
    target: `${template}.metadata.annotations.[${VERSION_ANNOTATION}]`,
  };
}

function workloadFiles(model: Model, w: WorkloadModel): FileSpec[] {
  const base = `${w.dir}/base`;
  const files: FileSpec[] = [
    {
      path: `${base}/kustomization.yaml`,
      template: 'kustomize/base-kustomization.yaml.hbs',
      data: {
        service: w.service,
        resources: [...w.workloadFiles, ...w.baseFiles].map((f) => f.file),
      },
      ownership: 'managed',
      practice: w.owner,
    },
    ...[...w.workloadFiles, ...w.baseFiles].map((f) => objectsFile(`${base}/${f.file}`, f, w.owner)),
  ];
  for (const o of w.overlays) {
    const preview = o.name === 'preview';
    files.push(
      {
        path: `${o.dir}/kustomization.yaml`,
        template: 'kustomize/overlay-kustomization.yaml.hbs',
        data: {
          service: w.service,
          overlay: o.name,
          namespace: o.namespace,
          environmentLabel: ENVIRONMENT_LABEL,
          // kustomize only knows built-in workloads' pod templates; name the Rollout's.
          rollout: w.kind === 'Rollout',
          patches: o.patches.map((p) => p.file),
          image: o.image,
          // Previews get the version annotation in the previews kustomization, after Argo CD set the PR tag.
          replacement: preview ? false : versionReplacement(w, '@'),
          promotedBy: o.promotedBy,
          cr: model.source.changeRequest,
          promoter: model.source.provider === 'gitlab' ? 'promote-production job' : 'promote workflow',
          configMaps: o.configMaps,
          labels: { name: w.service, partOf: model.spec.project.name },
        },
        ownership: 'managed',
        practice: w.owner,
      },
      ...o.patches.map((p) => objectsFile(`${o.dir}/${p.file}`, p, w.owner)),
    );
  }
  return files;
}

function previewFiles(model: Model): FileSpec[] {
  const previews = model.previews;
  if (!previews) return [];
  const services = model.workloads.filter((w) => w.overlays.some((o) => o.name === 'preview'));
  return [
    {
      path: `${previews.dir}/kustomization.yaml`,
      template: 'kustomize/previews-kustomization.yaml.hbs',
      data: {
        namespace: previews.namespacePlaceholder,
        cr: model.source.changeRequest,
        resources: previews.files.map((f) => f.file),
        guardDir: previews.guardDir,
        services: services.map((w) => ({ name: w.service, replacement: versionReplacement(w, ':') })),
      },
      ownership: 'managed',
      practice: previews.owner,
    },
    ...previews.files.map((f) => objectsFile(`${previews.dir}/${f.file}`, f, previews.owner)),
  ];
}

/** kustomization.yaml of a plain folder: namespace, resources, config as hashed ConfigMaps, part-of label. */
function dirKustomization(dir: ManifestDir): Record<string, unknown> {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    ...(dir.namespace ? { namespace: dir.namespace } : {}),
    resources: [...dir.files.map((f) => f.file), ...(dir.extraResources ?? [])],
    ...(dir.configMaps ? { configMapGenerator: dir.configMaps.map((c) => ({ name: c.name, files: c.files })) } : {}),
    ...(dir.partOf ? { labels: [{ pairs: { 'app.kubernetes.io/part-of': dir.partOf }, includeSelectors: false }] } : {}),
  };
}

export const kustomizeEmitter: Emitter = {
  id: 'kustomize',
  emit(model) {
    const files = model.workloads.flatMap((w) => workloadFiles(model, w));
    files.push(...previewFiles(model));
    for (const dir of model.manifests) {
      files.push(...dir.files.map((f) => objectsFile(`${dir.dir}/${f.file}`, f, dir.owner)));
      files.push({ path: `${dir.dir}/kustomization.yaml`, template: 'kustomize/value.yaml.hbs', data: { value: dirKustomization(dir) }, ownership: 'managed', practice: dir.owner });
    }
    return files;
  },
};
