import { describe, expect, it } from 'vitest';
import { sloProblems } from '../../../src/practices/monitoring/validate.js';
import { makeSpec } from '../../helpers/spec.js';

const withSlos = (slos: unknown[], metrics?: Record<string, unknown>) =>
  makeSpec({ practices: ['monitoring'], services: [{ name: 'api', path: '.', language: 'node', slos, ...(metrics ? { metrics } : {}) }] });

describe('sloProblems', () => {
  it('accepts the defaults: 250 ms on exactly OpenTelemetry\'s default buckets', () => {
    const spec = makeSpec({ practices: ['monitoring'] });
    expect(spec.services[0]!.slos.find((s) => s.kind === 'latency')!.thresholdMs).toBe(250);
    expect(spec.services[0]!.metrics.latencyBuckets).toEqual([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]);
    expect(sloProblems(spec)).toEqual([]);
    expect(sloProblems(makeSpec({ practices: ['monitoring', 'observability', 'gitops'] }))).toEqual([]);
  });

  it('rejects a latency threshold that is not a bucket boundary, naming the nearest ones and the fix', () => {
    const problems = sloProblems(withSlos([{ name: 'latency', kind: 'latency', objective: 99, thresholdMs: 400 }], { latencyBuckets: [0.1, 0.3, 0.5, 1] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toEqual(['services', 0, 'slos', 0, 'thresholdMs']);
    expect(problems[0]!.message).toContain('thresholdMs 400 is not a bucket boundary');
    expect(problems[0]!.fix).toBe(
      '400 ms is not a boundary of services[0].metrics.latencyBuckets: use 300 or 500, or declare a 0.4 bucket with a View in the app ' +
        'and add 0.4 to metrics.latencyBuckets (services[0]; see docs/slos.md)',
    );
  });

  it('rejects 300 ms when the service exports only the OpenTelemetry default buckets', () => {
    const otel = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    const problems = sloProblems(withSlos([{ name: 'latency', kind: 'latency', objective: 99.9, thresholdMs: 300 }], { latencyBuckets: otel }));
    expect(problems.map((p) => p.fix)).toEqual([
      expect.stringContaining('300 ms is not an OpenTelemetry default bucket boundary: use 250 or 500, or declare a 0.3 bucket with a View in the app and add 0.3 to metrics.latencyBuckets'),
    ]);
    // The defaults are that list: a bare `thresholdMs: 300` is rejected the same way.
    expect(sloProblems(withSlos([{ name: 'latency', kind: 'latency', objective: 99.9, thresholdMs: 300 }])).map((p) => p.fix)).toEqual(problems.map((p) => p.fix));
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

  it('rejects two services whose missing-data tickets share a name', () => {
    const spec = makeSpec({
      practices: ['monitoring'],
      services: [
        { name: 'a-b', path: 'x', language: 'node', slos: [{ name: 'one', kind: 'availability', objective: 99.9 }] },
        { name: 'ab', path: 'y', language: 'node', slos: [{ name: 'two', kind: 'availability', objective: 99.9 }] },
      ],
    });
    // camel('a-b') is AB, camel('ab') is Ab: distinct; 'a--b' is AB again.
    expect(sloProblems(spec)).toEqual([]);
    const clash = makeSpec({
      practices: ['monitoring'],
      services: [
        { name: 'a-b', path: 'x', language: 'node', slos: [{ name: 'one', kind: 'availability', objective: 99.9 }] },
        { name: 'a--b', path: 'y', language: 'node', slos: [{ name: 'two', kind: 'availability', objective: 99.9 }] },
      ],
    });
    expect(sloProblems(clash).map((p) => p.message)).toContain('alert name ABSLIMissing is produced by both a-b and a--b');
  });

  it('with kube-prometheus-stack deployed by GitOps, the secret files must be where the operator mounts Secrets', () => {
    const spec = makeSpec({
      practices: ['monitoring', 'observability', 'gitops'],
      monitoring: { pagerduty: { routingKeyFile: '/run/secrets/pd-key' } },
    });
    const problems = sloProblems(spec);
    expect(problems.map((p) => p.path)).toEqual([['monitoring', 'pagerduty', 'routingKeyFile']]);
    expect(problems[0]!.fix).toContain('/etc/alertmanager/secrets/<Secret name>/<key>');
    // Without the deployed chart the team mounts secrets its own way: any path is fine.
    expect(sloProblems(makeSpec({ practices: ['monitoring'], monitoring: { pagerduty: { routingKeyFile: '/run/secrets/pd-key' } } }))).toEqual([]);
  });
});
