import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeSpec, renderRecord } from '../../helpers/spec.js';
import { mebibytes } from '../../../src/practices/gitops/preview-guard.js';

/**
 * Issue 9, item 19: resources per language. A JVM with the OpenTelemetry agent in a 256Mi limit,
 * with the image's MaxRAMPercentage=75, leaves 64Mi for everything that is not heap: OOM.
 */

type Obj = Record<string, any>;

function appContainer(language: string, extra: Record<string, unknown> = {}): Obj {
  const spec = makeSpec({ practices: ['gitops', 'observability'], services: [{ name: 'api', path: '.', language, ...extra }] });
  const deployment = parse(renderRecord(spec)['deploy/api/base/deployment.yaml']!.split('\n').filter((l) => !l.startsWith('#')).join('\n')) as Obj;
  return deployment['spec']['template']['spec']['containers'][0];
}

const heapPercent = (c: Obj): number | undefined => {
  const opt = (c['env'] as Obj[] | undefined)?.find((e) => e['name'] === 'JDK_JAVA_OPTIONS')?.['value'] as string | undefined;
  const m = opt && /-XX:MaxRAMPercentage=(\d+)/.exec(opt);
  return m ? Number(m[1]) : undefined;
};

describe('resources per language', () => {
  it('Java: the heap cap fits the limit with room for metaspace, code cache, threads and the agent', () => {
    const c = appContainer('java');
    const limit = mebibytes(c['resources']['limits']['memory']);
    const percent = heapPercent(c)!;
    expect(percent).toBeDefined();
    const nonHeap = limit * (1 - percent / 100);
    // ~150–200Mi of metaspace (framework + agent) + ~50–100Mi of code cache + stacks and GC: at least 384Mi.
    expect(nonHeap).toBeGreaterThanOrEqual(384);
    expect(limit * (percent / 100)).toBeGreaterThanOrEqual(256);
    expect(mebibytes(c['resources']['requests']['memory'])).toBeGreaterThanOrEqual(limit * 0.75);
    expect(c['resources']['requests']['cpu']).toBe('250m');
    expect(c['resources']['limits']['cpu']).toBeUndefined();
    // JDK_JAVA_OPTIONS comes first, so it never depends on a later $(VAR).
    expect((c['env'] as Obj[])[0]!['name']).toBe('JDK_JAVA_OPTIONS');
  });

  it('other languages keep the light defaults and get no JVM options; an explicit setting always wins', () => {
    for (const language of ['node', 'python', 'go']) {
      const c = appContainer(language);
      expect(c['resources']).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
      expect(heapPercent(c)).toBeUndefined();
    }
    const explicit = appContainer('java', { deploy: { resources: { memoryLimit: '2Gi' } } });
    expect(explicit['resources']).toEqual({ requests: { cpu: '250m', memory: '768Mi' }, limits: { memory: '2Gi' } });
  });

  it('docs/gitops.md states the numbers and why', () => {
    const doc = renderRecord(makeSpec({ practices: ['gitops'] }))['docs/gitops.md']!;
    expect(doc).toMatch(/\| Java \| 250m \| 768Mi \| 1Gi \|/);
    expect(doc).toContain('JDK_JAVA_OPTIONS=-XX:MaxRAMPercentage=50');
  });
});
