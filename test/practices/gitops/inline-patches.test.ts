import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { computeModel } from '../../../src/tree/compute.js';
import { makeSpec, renderRecord } from '../../helpers/spec.js';

/**
 * Issue 13: an overlay's strategic merge patches live inline in its kustomization.yaml
 * (`- patch: |-`), not in patch-*.yaml files beside it: three files fewer per service. Built
 * output is unchanged (test/golden/CHANGES.md: every golden's overlays build byte-identical);
 * earlier versions' patch files are retired, for sync to delete (test/e2e/inline-patches-migration).
 */

const spec = makeSpec({
  practices: ['ci', 'gitops', 'deploy', 'monitoring'],
  gitops: { previews: true },
  services: [
    { name: 'web', path: 'web', language: 'go' },
    { name: 'canary', path: 'canary', language: 'go', deploy: { strategy: 'canary' } },
    { name: 'bg', path: 'bg', language: 'go', deploy: { strategy: 'bluegreen' } },
    { name: 'worker', path: 'worker', language: 'go', kind: 'worker' },
    { name: 'job', path: 'job', language: 'go', kind: 'job' },
    { name: 'cron', path: 'cron', language: 'go', kind: 'cronjob', schedule: '0 3 * * *' },
  ],
});
const record = renderRecord(spec);
const model = computeModel(spec);
const overlays = model.workloads.flatMap((w) => w.overlays.map((o) => ({ w, o, text: record[`${o.dir}/kustomization.yaml`]! })));

/** The top-level keys `kustomize edit` knows (kustfile's field order; enough for these files). */
const FIELD = /^(apiVersion|kind|resources|namespace|labels|patches|configMapGenerator|images|replacements):/;

describe('overlay patches, inline', () => {
  it('no overlay has a patch file any more; every overlay patch is a `- patch: |-` literal holding the same object', () => {
    expect(Object.keys(record).filter((p) => /\/overlays\/[^/]+\/patch-[^/]+\.yaml$/.test(p))).toEqual([]);
    expect(overlays.length).toBe(18);
    for (const { o, text } of overlays) {
      const k = parse(text) as { patches?: { patch: string }[] };
      const expected = o.patches.map((p) => p.objects()[0]);
      if (expected.length === 0) {
        // A job's staging overlay: no `patches: []` (kustomize edit would drop the empty list).
        expect(text).not.toMatch(/^patches:/m);
        continue;
      }
      expect(k.patches!.every((p) => Object.keys(p).join() === 'patch'), o.dir).toBe(true);
      expect(text.match(/^- patch: \|-$/gm)?.length, o.dir).toBe(expected.length);
      // Same objects (a commented one comes first), no `target`: a strategic merge patch matches by kind and name.
      expect(k.patches!.map((p) => parse(p.patch)).sort(byName), o.dir).toEqual([...expected].sort(byName));
    }
  });

  it('a patch file\'s comments stand above its entry, where `kustomize edit` keeps them', () => {
    const cron = overlays.find(({ w, o }) => w.service === 'cron' && o.name === 'preview')!.text;
    expect(cron).toMatch(/\npatches:\n# Previews do not run on the schedule: kubectl create job --from=cronjob\/cron runs it once\.\n- patch: \|-\n {4}apiVersion: batch\/v1\n {4}kind: CronJob\n/);
    const bg = overlays.find(({ w, o }) => w.service === 'bg' && o.name === 'preview')!.text;
    expect(bg).toMatch(/\npatches:\n# Previews run no analysis, .*\n- patch: \|-\n {4}"\$patch": delete\n {4}apiVersion: argoproj\.io\/v1alpha1\n {4}kind: AnalysisTemplate\n/);
  });

  it('survives `kustomize edit`: it puts a comment above a non-field line back above the first line reading the same, so each such comment is above the first', () => {
    // kustomize/commands/internal/kustfile: comments before a top-level field go with the field;
    // comments before any other line are re-inserted before the first output line equal to it
    // (trimmed). Every patch entry reads `- patch: |-`: only the first may carry a comment.
    let checked = 0;
    for (const { o, text } of overlays) {
      const lines = text.split('\n');
      let comments = 0;
      for (const [i, line] of lines.entries()) {
        if (/^\s*#/.test(line) || line.trim() === '') comments++;
        else {
          if (comments > 0 && !FIELD.test(line) && i > comments) {
            const first = lines.findIndex((l) => l.trim() === line.trim());
            expect(first, `${o.dir}: the comment above line ${i + 1} would move to line ${first + 1}`).toBe(i);
            checked++;
          }
          comments = 0;
        }
      }
    }
    expect(checked).toBe(3); // the cron, canary and blue/green previews
  });

  it('earlier versions\' patch files are retired paths (sync deletes them when unedited)', () => {
    const expected = overlays.flatMap(({ o }) => o.patches.map((p) => `${o.dir}/${p.file}`)).sort();
    expect(expected).toContain('deploy/web/overlays/staging/patch-hpa.yaml');
    expect(expected).toContain('deploy/cron/overlays/preview/patch-cronjob.yaml');
    expect(expected).toContain('deploy/bg/overlays/production/patch-rollout.yaml');
    expect(expected).toContain('deploy/canary/overlays/preview/patch-analysistemplate.yaml');
    expect([...new Set(model.retiredPaths)].filter((p) => /\/patch-[^/]+\.yaml$/.test(p)).sort()).toEqual(expected);
  });
});

function byName(a: unknown, b: unknown): number {
  const key = (o: unknown) => `${(o as { kind: string }).kind}/${(o as { metadata: { name: string } }).metadata.name}`;
  return key(a).localeCompare(key(b));
}
