import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Spec } from '../../../src/spec/types.js';
import { makeSpec, renderRecord } from '../../helpers/spec.js';
import { kustomizeBuild, parseObjects, writeRecord, type KubeObject } from '../../validators/kustomize.js';

/**
 * The render cases the gitops and deploy tests share: the four setups.
 * Each renders the whole spec (CI and observability included, as users get it).
 */
export interface Case {
  name: string;
  spec: Spec;
}

export const CASES: Case[] = [
  {
    name: 'rolling (node)',
    spec: makeSpec({ practices: ['ci', 'gitops', 'observability'] }),
  },
  {
    name: 'canary (node)',
    spec: makeSpec({
      practices: ['ci', 'gitops', 'deploy', 'observability'],
      services: [{ name: 'api', path: '.', language: 'node', deploy: { strategy: 'canary' } }],
    }),
  },
  {
    name: 'bluegreen (python)',
    spec: makeSpec({
      project: { name: 'ledger', repository: 'acme/ledger' },
      practices: ['ci', 'gitops', 'deploy'],
      gitops: { productionSync: 'manual' },
      services: [{ name: 'books', path: '.', language: 'python', packageManager: 'uv', healthPath: '/health', deploy: { strategy: 'bluegreen' } }],
    }),
  },
  {
    name: 'rolling + feature flags (monorepo)',
    spec: makeSpec({
      project: { name: 'mono', repository: 'acme/mono' },
      practices: ['ci', 'gitops', 'deploy'],
      services: [
        { name: 'web', path: 'services/web', language: 'node', deploy: { featureFlags: true } },
        { name: 'worker', path: 'services/worker', language: 'go', deploy: { featureFlags: true } },
      ],
    }),
  },
];

export const OVERLAYS = ['staging', 'production', 'preview'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export interface Built {
  record: Record<string, string>;
  dir: string;
  /** Built objects per `<service>/<overlay>` and for `previews`. */
  builds: Map<string, KubeObject[]>;
  /** Build failures (`where: stderr`); empty when everything built. */
  failures: string[];
  /** Objects of the Argo CD files, parsed as written. */
  argocd: KubeObject[];
}

export function buildCase(spec: Spec): Built {
  const record = renderRecord(spec);
  const dir = writeRecord(record);
  const builds = new Map<string, KubeObject[]>();
  const failures: string[] = [];
  const build = (key: string, path: string) => {
    const r = kustomizeBuild(join(dir, path));
    if (r.ok) builds.set(key, parseObjects(r.stdout));
    else failures.push(`${key}: ${r.stderr}`);
  };
  for (const svc of spec.services) {
    for (const overlay of OVERLAYS) build(`${svc.name}/${overlay}`, `${spec.gitops.dir}/${svc.name}/overlays/${overlay}`);
  }
  if (existsSync(join(dir, spec.gitops.dir, 'previews'))) build('previews', `${spec.gitops.dir}/previews`);
  const argocd = Object.entries(record)
    .filter(([path]) => path.startsWith(`${spec.gitops.dir}/argocd/`))
    .flatMap(([, text]) => parseObjects(text));
  return { record, dir, builds, failures, argocd };
}

export const workloadOf = (objects: KubeObject[], name: string): KubeObject | undefined =>
  objects.find((o) => (o['kind'] === 'Deployment' || o['kind'] === 'Rollout') && o['metadata']['name'] === name);
