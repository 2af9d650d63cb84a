import { spawnSync } from 'node:child_process';
import { writeRecord as writeTempRecord } from './temp-record.js';
import { parseAllDocuments } from 'yaml';

/** The outcome of `kubectl kustomize DIR` (kustomize 5.x built into kubectl). */
export interface KustomizeResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Build one kustomization directory with kubectl's built-in kustomize. */
export function kustomizeBuild(dir: string): KustomizeResult {
  // A large tree builds to more than spawnSync's 1 MB default (301 PrometheusRules: about 4 MB).
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/** Write a rendered `{path: content}` record into a fresh temp dir; returns the dir. */
export const writeRecord = (record: Record<string, string>, prefix = 'devops-init-kustomize-'): string => writeTempRecord(record, prefix);

export type KubeObject = Record<string, any>;

/** Parse multi-document YAML (kustomize output or a manifest file) into objects. */
export function parseObjects(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(d.errors[0]!.message);
      return d.toJS() as KubeObject | null;
    })
    .filter((o): o is KubeObject => o !== null && typeof o === 'object');
}
