import { describe, expect, it } from 'vitest';
import { loggingPractice } from '../../../src/practices/logging/index.js';
import { observabilityPractice } from '../../../src/practices/observability/index.js';
import { nodeSpec } from './fixtures.js';

describe('questions', () => {
  const spec = nodeSpec();
  it('observability asks for the collector version (--collector-version) and records it', () => {
    const q = observabilityPractice.questions.find((x) => x.id === 'collectorVersion')!;
    expect(q.flag).toBe('--collector-version <version>');
    expect(q.default(spec, {})).toBe('0.147.0');
    expect(q.validate!('0.120.0')).toBeUndefined();
    expect(q.validate!('latest')).toMatch(/release number/);
    expect(q.apply(spec, '0.120.0')).toEqual([{ path: ['observability', 'collectorVersion'], value: '0.120.0' }]);
  });

  it('logging asks for the Loki URL (--loki-url) and refuses values that are not http(s) URLs', () => {
    const q = loggingPractice.questions.find((x) => x.id === 'lokiUrl')!;
    expect(q.flag).toBe('--loki-url <url>');
    expect(q.default(spec, {})).toBe('http://loki-gateway.monitoring.svc');
    expect(q.validate!('https://logs.example.com:8443/tenant')).toBeUndefined();
    expect(q.validate!('loki:3100')).toBeDefined();
    expect(q.validate!('http://x/"; rm -rf /')).toBeDefined();
    expect(q.apply(spec, 'http://loki.logging.svc:3100')).toEqual([{ path: ['logging', 'lokiUrl'], value: 'http://loki.logging.svc:3100' }]);
  });

  it('handbooks carry the handbook substance', () => {
    expect(observabilityPractice.handbook.summary).toBe('Metrics, logs, traces — correlated.');
    expect(observabilityPractice.handbook.bestFor).toBe('Any distributed system.');
    expect(observabilityPractice.handbook.notes!.join(' ')).toMatch(/Prometheus \+ Grafana \+ Loki \+ Tempo/);
    expect(loggingPractice.handbook.summary).toBe('Structured, indexed, sampled.');
    expect(loggingPractice.handbook.bestFor).toBe('All services.');
  });
});
