import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { ConfigMap, Namespace, ResourceQuota, Service, ServiceAccount } from 'kubernetes-models/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { DaemonSet, Deployment } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Application, AppProject, ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { AnalysisTemplate, Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';
import type { KubeObject } from './kustomize.js';
import { diagnosticHead, typecheckFiles } from './tsc.js';

/**
 * Validation of Kubernetes, Argo CD and Argo Rollouts objects with kubernetes-models
 * (third-party schemas generated from the upstream OpenAPI/CRDs), in two passes:
 * 1. `new Model(obj).validate()`: types, enums and required fields (throws);
 * 2. `tsc --noEmit` over `const o = <json> satisfies IModel`: TypeScript's excess-property
 *    check rejects unknown fields, which the JSON-schema validators let through.
 */

interface ModelInfo {
  /** Validating class. */
  cls: new (data: any) => { validate(): void };
  /** Module and interface for the type check. */
  module: string;
  iface: string;
}

const MODELS: Record<string, ModelInfo> = {
  'apps/v1/Deployment': { cls: Deployment, module: 'kubernetes-models/apps/v1/Deployment', iface: 'IDeployment' },
  'batch/v1/Job': { cls: Job, module: 'kubernetes-models/batch/v1/Job', iface: 'IJob' },
  'batch/v1/CronJob': { cls: CronJob, module: 'kubernetes-models/batch/v1/CronJob', iface: 'ICronJob' },
  'apps/v1/DaemonSet': { cls: DaemonSet, module: 'kubernetes-models/apps/v1/DaemonSet', iface: 'IDaemonSet' },
  'rbac.authorization.k8s.io/v1/ClusterRole': {
    cls: ClusterRole,
    module: 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole',
    iface: 'IClusterRole',
  },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': {
    cls: ClusterRoleBinding,
    module: 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding',
    iface: 'IClusterRoleBinding',
  },
  'monitoring.coreos.com/v1/PrometheusRule': {
    cls: PrometheusRule,
    module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule',
    iface: 'IPrometheusRule',
  },
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': {
    cls: ValidatingAdmissionPolicy,
    module: 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy',
    iface: 'IValidatingAdmissionPolicy',
  },
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': {
    cls: ValidatingAdmissionPolicyBinding,
    module: 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding',
    iface: 'IValidatingAdmissionPolicyBinding',
  },
  'v1/Service': { cls: Service, module: 'kubernetes-models/v1/Service', iface: 'IService' },
  'v1/ServiceAccount': { cls: ServiceAccount, module: 'kubernetes-models/v1/ServiceAccount', iface: 'IServiceAccount' },
  'v1/ConfigMap': { cls: ConfigMap, module: 'kubernetes-models/v1/ConfigMap', iface: 'IConfigMap' },
  'v1/Namespace': { cls: Namespace, module: 'kubernetes-models/v1/Namespace', iface: 'INamespace' },
  'v1/ResourceQuota': { cls: ResourceQuota, module: 'kubernetes-models/v1/ResourceQuota', iface: 'IResourceQuota' },
  'networking.k8s.io/v1/NetworkPolicy': {
    cls: NetworkPolicy,
    module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
    iface: 'INetworkPolicy',
  },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    cls: HorizontalPodAutoscaler,
    module: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    iface: 'IHorizontalPodAutoscaler',
  },
  'policy/v1/PodDisruptionBudget': {
    cls: PodDisruptionBudget,
    module: 'kubernetes-models/policy/v1/PodDisruptionBudget',
    iface: 'IPodDisruptionBudget',
  },
  'argoproj.io/v1alpha1/Application': {
    cls: Application,
    module: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application',
    iface: 'IApplication',
  },
  'argoproj.io/v1alpha1/AppProject': {
    cls: AppProject,
    module: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject',
    iface: 'IAppProject',
  },
  'argoproj.io/v1alpha1/ApplicationSet': {
    cls: ApplicationSet,
    module: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet',
    iface: 'IApplicationSet',
  },
  'argoproj.io/v1alpha1/Rollout': {
    cls: Rollout,
    module: '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout',
    iface: 'IRollout',
  },
  'argoproj.io/v1alpha1/AnalysisTemplate': {
    cls: AnalysisTemplate,
    module: '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate',
    iface: 'IAnalysisTemplate',
  },
};

const keyOf = (o: KubeObject): string => `${o['apiVersion']}/${o['kind']}`;

export function hasModel(o: KubeObject): boolean {
  return keyOf(o) in MODELS;
}

function label(o: KubeObject): string {
  return `${keyOf(o)} ${o['metadata']?.['name'] ?? '?'}`;
}

/** Pass 1: every object has a model and validates. Returns one message per problem. */
export function validateWithModels(objects: KubeObject[]): string[] {
  const errors: string[] = [];
  for (const o of objects) {
    const model = MODELS[keyOf(o)];
    if (!model) {
      errors.push(`${label(o)}: no model registered for ${keyOf(o)}`);
      continue;
    }
    try {
      new model.cls(o).validate();
    } catch (e) {
      errors.push(`${label(o)}: ${(e as Error).message}`);
    }
  }
  return errors;
}

const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The compiler options of the unknown-field check (what its tsconfig.json said when it ran the tsc CLI). */
const TYPECHECK_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  skipLibCheck: true,
  types: [],
};

/**
 * Pass 2: unknown fields. Writes one `satisfies` declaration per object into a temp
 * project (node_modules linked from this repo) and type-checks it with TypeScript's
 * compiler, once for all of them (in this process: test/validators/tsc.ts).
 * Returns the compiler's errors, each prefixed with the object it is about.
 */
export function typecheckObjects(objects: KubeObject[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'devops-init-kube-types-'));
  try {
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const imports = new Map<string, string>();
    const lines: string[] = [];
    /** owners[n] = the object source line n belongs to. */
    const owners: string[] = [];
    objects.forEach((o, i) => {
      const model = MODELS[keyOf(o)];
      if (!model) return;
      if (!imports.has(model.module)) imports.set(model.module, `T${imports.size}`);
      const decl = `export const o${i} = ${JSON.stringify(o, null, 1)} satisfies ${imports.get(model.module)}.${model.iface};`;
      for (const l of decl.split('\n')) {
        lines.push(l);
        owners.push(label(o));
      }
    });
    const header = [...imports].map(([mod, alias]) => `import type * as ${alias} from '${mod}';`);
    const source = [...header, ...lines].join('\n') + '\n';
    const file = join(dir, 'objects.ts');
    writeFileSync(file, source);
    return typecheckFiles([file], TYPECHECK_OPTIONS)
      .filter((d) => d.category === ts.DiagnosticCategory.Error)
      .map((d) => {
        const line = d.file?.fileName === file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line - header.length : -1;
        return `${owners[line] ?? 'objects.ts'}: ${diagnosticHead(d)}`;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
