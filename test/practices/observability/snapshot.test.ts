import { beforeAll, describe, expect, it } from 'vitest';
import { loggingPractice } from '../../../src/practices/logging/index.js';
import { observabilityPractice } from '../../../src/practices/observability/index.js';
import { haveTool } from '../../validators/tool.js';
import { yamllintRecord } from '../../validators/yamllint.js';
import { monorepoSpec, nodeSpec } from './fixtures.js';
import { renderPracticeRecord } from './render.js';
import { OTEL_NODE_FILES } from '../../../src/model/otel.js';

const render = (spec: ReturnType<typeof nodeSpec>) => ({
  ...renderPracticeRecord(observabilityPractice, spec),
  ...renderPracticeRecord(loggingPractice, spec),
});

/** The shipped OpenTelemetry Node lock, written verbatim (otel-node-lock.test.ts): named, not repeated. */
const LOCK = OTEL_NODE_FILES[1];

/** The whole record as one reviewable text: each file under a `==> path <==` header. */
const asText = (rec: Record<string, string>) =>
  Object.entries(rec)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([p, c]) => `==> ${p} <==\n${p === LOCK.path ? `(the text of templates/${LOCK.shipped})\n` : c}`)
    .join('\n');

let lint = false;
beforeAll(() => {
  lint = haveTool('yamllint');
});

describe('observability + logging render (snapshots, yamllint)', () => {
  for (const [name, spec] of [
    ['node-service', nodeSpec()],
    ['monorepo-node-go-python', monorepoSpec()],
  ] as const) {
    it(`${name}: matches the reviewed snapshot`, async () => {
      await expect(asText(render(spec))).toMatchFileSnapshot(`__snapshots__/${name}.txt`);
    });

    it(`${name}: every YAML file is yamllint-clean`, (ctx) => {
      if (!lint) ctx.skip();
      const yamlFiles = Object.fromEntries(Object.entries(render(spec)).filter(([p]) => /\.ya?ml$/.test(p)));
      expect(Object.keys(yamlFiles).length).toBeGreaterThan(10);
      expect(yamllintRecord(yamlFiles)).toEqual([]);
    });
  }

  it('yamllint catches a broken file (duplicate key)', (ctx) => {
    if (!lint) ctx.skip();
    const rec = render(nodeSpec());
    const broken = rec['observability/collector/config.yaml']!.replace('receivers:', 'receivers:\n  otlp: {}\nreceivers:');
    expect(yamllintRecord({ 'config.yaml': broken }).join('\n')).toMatch(/duplication of key "receivers"/);
  });

  it('docs carry a section for each language present, and only those', () => {
    const mono = render(monorepoSpec());
    const obs = mono['docs/observability.md']!;
    const logs = mono['docs/logging.md']!;
    expect(obs).toContain('### Node.js');
    expect(obs).toContain('### Go');
    expect(obs).toContain('otelhttp.NewHandler(');
    expect(obs).toContain('otelhttp.NewTransport(');
    expect(obs).toContain('### Python');
    expect(obs).not.toContain('### Java');
    expect(logs).toContain('### Node.js — pino (web)');
    expect(logs).toContain('### Go — log/slog (orders)');
    expect(logs).toContain('### Python — standard logging with a JSON formatter (recommender)');
    expect(logs).not.toContain('logstash-logback-encoder');
    const node = render(nodeSpec());
    expect(node['docs/logging.md']).not.toContain('log/slog');
    expect(node['docs/observability.md']).not.toContain('opentelemetry-instrument');
  });
});
