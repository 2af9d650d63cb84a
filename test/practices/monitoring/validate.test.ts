import { describe, expect, it } from 'vitest';
import { sloProblems } from '../../../src/practices/monitoring/validate.js';
import { makeSpec } from '../../helpers/spec.js';

const withSlos = (slos: unknown[], metrics?: Record<string, unknown>) =>
  makeSpec({ practices: ['monitoring'], services: [{ name: 'api', path: '.', language: 'node', slos, ...(metrics ? { metrics } : {}) }] });

describe('sloProblems', () => {
  it('accepts the defaults (300 ms is a declared bucket)', () => {
    expect(sloProblems(makeSpec({ practices: ['monitoring'] }))).toEqual([]);
  });

  it('rejects a latency threshold that is not a bucket boundary, naming the nearest ones and the fix', () => {
    const problems = sloProblems(withSlos([{ name: 'latency', kind: 'latency', objective: 99, thresholdMs: 400 }]));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toEqual(['services', 0, 'slos', 0, 'thresholdMs']);
    expect(problems[0]!.message).toContain('thresholdMs 400 is not a bucket boundary');
    expect(problems[0]!.fix).toContain('use 300 or 500 ms');
    expect(problems[0]!.fix).toContain('add 0.4 to services[0].metrics.latencyBuckets');
  });

  it('rejects 300 ms when the service exports only the OpenTelemetry default buckets', () => {
    const otel = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    const problems = sloProblems(withSlos([{ name: 'latency', kind: 'latency', objective: 99.9, thresholdMs: 300 }], { latencyBuckets: otel }));
    expect(problems.map((p) => p.fix)).toEqual([expect.stringContaining('use 250 or 500 ms')]);
    expect(sloProblems(withSlos([{ name: 'latency', kind: 'latency', objective: 99.9, thresholdMs: 250 }], { latencyBuckets: otel }))).toEqual([]);
  });

  it('accepts a threshold once its bucket is declared', () => {
    expect(sloProblems(withSlos([{ name: 'latency', kind: 'latency', objective: 99, thresholdMs: 400 }], { latencyBuckets: [0.1, 0.4, 1] }))).toEqual([]);
  });

  it('rejects unsorted buckets, a missing threshold, duplicates, thresholds on availability and unreachable objectives', () => {
    const messages = sloProblems(
      withSlos(
        [
          { name: 'latency', kind: 'latency', objective: 99 },
          { name: 'latency', kind: 'availability', objective: 90, thresholdMs: 300 },
        ],
        { latencyBuckets: [0.5, 0.1] },
      ),
    ).map((p) => p.message);
    expect(messages).toEqual([
      'metrics.latencyBuckets of api must be strictly ascending',
      'latency SLO "latency" of api has no thresholdMs',
      'SLO "latency" is defined twice for api',
      expect.stringContaining('objective 90 is too low for burn-rate paging'),
      expect.stringContaining('thresholdMs only applies to latency SLOs'),
    ]);
  });

  it('rejects two service/SLO pairs that would produce the same alert name', () => {
    const spec = makeSpec({
      practices: ['monitoring'],
      services: [
        { name: 'a-b', path: 'x', language: 'node', slos: [{ name: 'c', kind: 'availability', objective: 99.9 }] },
        { name: 'a', path: 'y', language: 'node', slos: [{ name: 'b-c', kind: 'availability', objective: 99.9 }] },
      ],
    });
    expect(sloProblems(spec).map((p) => p.message)).toEqual([
      'alert name ABCFastBurn is produced by both a-b/c and a/b-c',
      'alert name ABCSlowBurn is produced by both a-b/c and a/b-c',
    ]);
  });
});
