import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { AppProject, Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { DaemonSet, Deployment } from 'kubernetes-models/apps/v1';
import { Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap } from 'kubernetes-models/v1';

/**
 * Local validators for the observability and logging manifests: `kubectl kustomize`
 * builds, kubernetes-models `validate()` (types and required fields) and a TypeScript
 * excess-property check against the models' interfaces (unknown fields, which
 * validate() lets through — see VALIDATORS.md).
 */

export type K8sObject = { apiVersion: string; kind: string; metadata?: { name?: string } } & Record<string, unknown>;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Write `{path: content}` to a temp folder, run `kubectl kustomize <dir>`, return the objects or the error. */
export function kustomizeBuild(files: Record<string, string>, dir: string): { objects: K8sObject[]; error?: string } {
  const root = mkdtempSync(join(tmpdir(), 'devops-init-kustomize-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    const r = spawnSync('kubectl', ['kustomize', join(root, dir)], { encoding: 'utf8' });
    if (r.error) throw r.error;
    if (r.status !== 0) return { objects: [], error: r.stderr.trim() };
    return { objects: parseAllDocuments(r.stdout).map((d) => d.toJS() as K8sObject).filter(Boolean) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

type ModelClass = new (data: never) => { validate(): void };

/** apiVersion/kind → model class and the type the TypeScript check uses. */
const MODELS: Record<string, { model: ModelClass; type: string; from: string }> = {
  'v1/Namespace': { model: Namespace as ModelClass, type: 'INamespace', from: 'kubernetes-models/v1/Namespace' },
  'v1/Service': { model: Service as ModelClass, type: 'IService', from: 'kubernetes-models/v1/Service' },
  'v1/ServiceAccount': { model: ServiceAccount as ModelClass, type: 'IServiceAccount', from: 'kubernetes-models/v1/ServiceAccount' },
  'v1/ConfigMap': { model: ConfigMap as ModelClass, type: 'IConfigMap', from: 'kubernetes-models/v1/ConfigMap' },
  'apps/v1/Deployment': { model: Deployment as ModelClass, type: 'IDeployment', from: 'kubernetes-models/apps/v1/Deployment' },
  'apps/v1/DaemonSet': { model: DaemonSet as ModelClass, type: 'IDaemonSet', from: 'kubernetes-models/apps/v1/DaemonSet' },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget as ModelClass, type: 'IPodDisruptionBudget', from: 'kubernetes-models/policy/v1/PodDisruptionBudget' },
  'rbac.authorization.k8s.io/v1/ClusterRole': { model: ClusterRole as ModelClass, type: 'IClusterRole', from: 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole' },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { model: ClusterRoleBinding as ModelClass, type: 'IClusterRoleBinding', from: 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding' },
  'argoproj.io/v1alpha1/Application': { model: Application as ModelClass, type: 'IApplication', from: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application' },
  'argoproj.io/v1alpha1/AppProject': { model: AppProject as ModelClass, type: 'IAppProject', from: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject' },
};

const keyOf = (o: K8sObject) => `${o.apiVersion}/${o.kind}`;

/** kubernetes-models `validate()` on each object; one message per failure (unknown kinds fail too). */
export function validateModels(objects: K8sObject[]): string[] {
  const errors: string[] = [];
  for (const o of objects) {
    const entry = MODELS[keyOf(o)];
    if (!entry) {
      errors.push(`${keyOf(o)} ${o.metadata?.name}: no model registered`);
      continue;
    }
    try {
      new entry.model(o as never).validate();
    } catch (e) {
      errors.push(`${keyOf(o)} ${o.metadata?.name}: ${(e as Error).message}`);
    }
  }
  return errors;
}

/**
 * Type-check every object as an object literal of its model's interface, in one tsc
 * run: excess-property checks catch misspelled and unknown fields.
 */
export function typecheckModels(objects: K8sObject[]): string[] {
  const dir = join(ROOT, 'node_modules', '.cache');
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(dir, 'devops-init-typecheck-'));
  try {
    const imports = new Set<string>();
    const lines: string[] = [];
    objects.forEach((o, i) => {
      const entry = MODELS[keyOf(o)];
      if (!entry) return;
      imports.add(`import type { ${entry.type} } from '${entry.from}';`);
      lines.push(`export const o${i} = ${JSON.stringify(o, null, 2)} satisfies ${entry.type};`);
    });
    writeFileSync(join(work, 'objects.ts'), [...imports, ...lines].join('\n') + '\n');
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: true, types: [] },
        files: ['objects.ts'],
      }),
    );
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', work], { encoding: 'utf8' });
    if (r.status === 0) return [];
    return r.stdout.split('\n').filter((l) => l.includes('error TS'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
