import { ENVIRONMENT_LABEL, VERSION_ANNOTATION } from '../../model/labels.js';
import type { ManifestDir, ManifestFile, Model, OverlayModel, Owner, WorkloadModel } from '../../model/types.js';
import { plainWhenSafe, quoted, singleQuoted } from '../../model/yaml-data.js';
import { InternalError } from '../../errors.js';
import { Commented, emitYaml } from '../../render/yaml-emit.js';
import type { Emitter, FileSpec } from '../types.js';

/**
 * Kustomize: each workload's base and overlays, the preview environment, and plain manifest
 * folders (platform components). Overlay kustomizations are written in the exact layout
 * `kustomize edit` produces (field order kept, nested keys sorted, lists not indented), so
 * CI's `kustomize edit set image` changes only the image lines and `devops-init sync` can
 * three-way merge around them.
 */

const OBJECTS = 'kustomize/objects.yaml.hbs';

/** A resource file: its objects (computed at render time, every practice has contributed) and comment header. */
export function objectsFile(path: string, f: ManifestFile, owner: Owner, service = f.service): FileSpec {
  const comments = f.comments ?? [];
  for (const c of comments) if (/[\r\n]/.test(c)) throw new Error(`comment for ${path} spans lines`);
  // Computed when the file renders, not now: a large repository's objects then die young
  // instead of all living until the last file is rendered (issue 13: garbage collection).
  const file: FileSpec = {
    path,
    template: OBJECTS,
    get data() {
      return { objects: f.objects(), comments };
    },
    ownership: 'managed',
    practice: f.owner ?? owner,
  };
  if (service !== undefined) file.service = service;
  if (service !== undefined && f.alsoReads?.length) file.alsoReads = [...f.alsoReads];
  return file;
}

/**
 * A kustomization written as blocks: comment lines, then top-level keys. The templates
 * (kustomize/*-kustomization.yaml.hbs) print each block's comments and `{{toYaml value}}`,
 * so what they write is the YAML emitter's alone — valid by construction, and not parsed
 * again (render/serializer-only.ts): there are three of these per service. The blocks'
 * top-level keys must differ (concatenated, they form one mapping).
 */
interface Block {
  comments: string[];
  value: Record<string, unknown>;
}

function blocks(path: string, list: (Block | false)[]): Block[] {
  const out = list.filter((b): b is Block => b !== false);
  const keys = out.flatMap((b) => Object.keys(b.value));
  if (new Set(keys).size !== keys.length) throw new InternalError(`${path}: two blocks of the kustomization share a key (${keys.join(', ')})`);
  return out;
}

/** An overlay's kustomization.yaml, in the layout `kustomize edit` writes (see the module comment). */
function overlayBlocks(model: Model, w: WorkloadModel, o: OverlayModel, patches: InlinePatch[], replacement: Record<string, unknown> | false): Block[] {
  const cr = model.source.changeRequest.name;
  const promoter = model.source.provider === 'gitlab' ? 'promote-production job' : 'promote workflow';
  const pairs = { [ENVIRONMENT_LABEL]: o.name };
  const imageComments = [
    ...(o.promotedBy === 'ci'
      ? [
          'The image pin belongs to CI: after each image build on the default branch it runs',
          '`kustomize edit set image <repo>=<repo>@sha256:<digest>` here and opens a',
          `promote-staging/<service> ${cr}; merging it deploys staging. The all-zero`,
          'digest below means "nothing promoted yet": it matches no image, so pods cannot',
          'start on anything unreviewed. Staging and production must pin a digest.',
        ]
      : []),
    ...(o.promotedBy === 'promote'
      ? [
          `The image pin belongs to the ${promoter}: it copies the digest staging runs`,
          `into this file through a reviewed ${cr}. The all-zero digest below means`,
          '"nothing promoted yet": it matches no image, so pods cannot start. Rollback is a',
          '`git revert` of the promotion commit.',
        ]
      : []),
    ...(o.image.digest
      ? []
      : [
          `Argo CD replaces this tag with the ${cr}'s own (\`sha-<head SHA>\`), see`,
          '../../../argocd/apps/previews.yaml. The placeholder tag is never built.',
          ...(o.image.newName ? ['Previews pull from their own repository, never the release one.'] : []),
        ]),
  ];
  // Image references as `kustomize edit set image` writes them: plain.
  const ref = (v: string | undefined) => plainWhenSafe(String(v));
  const image = o.image.digest
    ? { digest: ref(o.image.digest), name: ref(o.image.name), newName: ref(o.image.name) }
    : { name: ref(o.image.name), ...(o.image.newName ? { newName: ref(o.image.newName) } : {}), newTag: ref(o.image.tag) };
  return blocks(`${o.dir}/kustomization.yaml`, [
    {
      comments: [
        `${o.name} overlay of ${w.service}.`,
        'Kept in the layout `kustomize edit` writes, so the image edits CI makes touch only',
        'the `images` lines and `devops-init sync` merges around them.',
      ],
      value: { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [plainWhenSafe('../../base')], namespace: o.namespace },
    },
    {
      comments: [
        'The environment label goes on every object and pod template but never on selectors',
        '(includeSelectors is off by default; Deployment selectors are immutable).',
      ],
      value: {
        // kustomize only knows built-in workloads' pod templates; name the Rollout's.
        labels: [w.kind === 'Rollout' ? { fields: [{ create: true, kind: 'Rollout', path: 'spec/template/metadata/labels' }], includeTemplates: true, pairs } : { includeTemplates: true, pairs }],
      },
    },
    patches.length > 0 && { comments: [], value: { patches: inlinePatches(o, patches) } },
    o.configMaps.length > 0 && {
      comments: [
        'Feature flags of this environment only (flags/, owned by the team): a flag change reaches',
        'one environment per pull request and is promoted like an image, by copying the change to',
        "the next environment's file. No name hash on purpose: a change updates the ConfigMap in",
        'place and flagd reloads the file within a minute or two, without restarting the pods.',
      ],
      value: {
        configMapGenerator: o.configMaps.map((c) => ({
          files: [quoted(c.source)],
          name: quoted(c.name),
          options: { disableNameSuffixHash: true, labels: { 'app.kubernetes.io/name': quoted(w.service), 'app.kubernetes.io/part-of': quoted(model.spec.project.name) } },
        })),
      },
    },
    { comments: imageComments, value: { images: [image] } },
    replacement !== false && {
      comments: ['Copies the pinned digest onto the pod template as the app.kubernetes.io/version', 'annotation; OpenTelemetry reports it as service.version.'],
      value: {
        replacements: [
          {
            source: { fieldPath: plainWhenSafe(String(replacement['fieldPath'])), kind: replacement['kind'], name: replacement['name'], options: { delimiter: singleQuoted(String(replacement['delimiter'])), index: 1 } },
            targets: [{ fieldPaths: [plainWhenSafe(String(replacement['target']))], options: { create: true }, select: { kind: replacement['kind'], name: replacement['name'] } }],
          },
        ],
      },
    },
  ]);
}

/**
 * An overlay's patches, inline (`- patch: |-` and the strategic merge patch as a literal block):
 * one kustomization per overlay instead of a file per patch (issue 13; earlier versions wrote
 * each to its own file, now retired: Model.retiredPaths). A strategic merge patch needs no
 * `target`: it finds its object by kind and name. The body is what the patch file held (the
 * YAML emitter's block layout), and the file's header comments stand above its entry.
 *
 * `kustomize edit` keeps a comment above a list entry by inserting it before the first line
 * that reads like the entry's, and every entry reads `- patch: |-`: the commented patch comes
 * first (the order of strategic merge patches on distinct objects changes nothing built), and
 * a second commented one would have its comment moved by CI's image edit, so there is none.
 */
function inlinePatches(o: OverlayModel, patches: InlinePatch[]): unknown[] {
  const commented = patches.filter((p) => p.comments.length > 0);
  if (commented.length > 1) throw new InternalError(`${o.dir}/kustomization.yaml: more than one commented patch (kustomize edit would move the second comment)`);
  return [...commented, ...patches.filter((p) => p.comments.length === 0)].map((p) => (p.comments.length > 0 ? new Commented(p.comments, { patch: p.patch }) : { patch: p.patch }));
}

/** A patch as the overlay holds it: `file` is where earlier versions wrote it. */
interface InlinePatch {
  file: string;
  patch: string;
  comments: string[];
}

function inlinePatch(o: OverlayModel, p: ManifestFile): InlinePatch {
  const objects = p.objects();
  if (objects.length !== 1) throw new InternalError(`${o.dir}: the inline patch ${p.file} must be one object (it has ${objects.length})`);
  return { file: p.file, patch: emitYaml(objects[0]), comments: [...(p.comments ?? [])] };
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

/**
 * A service's base and overlays. Their data is computed when the file renders (getters): `check`
 * reuses the lock's hash for the files of a service whose spec did not change and never asks
 * (FileSpec.service). Everything here reads the workload and repository-wide settings only.
 */
function workloadFiles(model: Model, w: WorkloadModel): FileSpec[] {
  const base = `${w.dir}/base`;
  const service = w.service;
  const files: FileSpec[] = [
    {
      path: `${base}/kustomization.yaml`,
      template: 'kustomize/base-kustomization.yaml.hbs',
      get data() {
        const resources = [...w.workloadFiles, ...w.baseFiles].map((f) => f.file);
        return {
          service,
          resources,
          blocks: blocks(`${base}/kustomization.yaml`, [
            {
              comments: [`Kustomize base of ${service}: what every environment shares. The overlays in`, '../overlays/ add the namespace, the image pin and the autoscaling bounds.'],
              value: { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: resources.map((f) => quoted(f)) },
            },
          ]),
        };
      },
      ownership: 'managed',
      practice: w.owner,
      service,
    },
    ...[...w.workloadFiles, ...w.baseFiles].map((f) => objectsFile(`${base}/${f.file}`, f, w.owner, service)),
  ];
  for (const o of w.overlays) {
    const path = `${o.dir}/kustomization.yaml`;
    files.push({
      path,
      template: 'kustomize/overlay-kustomization.yaml.hbs',
      get data() {
        const preview = o.name === 'preview';
        // Previews get the version annotation in the previews kustomization, after Argo CD set the PR tag.
        const replacement = preview ? false : versionReplacement(w, '@');
        const patches = o.patches.map((p) => inlinePatch(o, p));
        return {
          service,
          overlay: o.name,
          namespace: o.namespace,
          environmentLabel: ENVIRONMENT_LABEL,
          // kustomize only knows built-in workloads' pod templates; name the Rollout's.
          rollout: w.kind === 'Rollout',
          // Each patch as the YAML text the kustomization holds inline (`file`: where earlier versions wrote it).
          patches,
          image: o.image,
          replacement,
          promotedBy: o.promotedBy,
          cr: model.source.changeRequest,
          promoter: model.source.provider === 'gitlab' ? 'promote-production job' : 'promote workflow',
          configMaps: o.configMaps,
          labels: { name: service, partOf: model.spec.project.name },
          // What the template prints; the fields above stay for team overrides of it.
          blocks: overlayBlocks(model, w, o, patches, replacement),
        };
      },
      ownership: 'managed',
      practice: w.owner,
      service,
    });
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
