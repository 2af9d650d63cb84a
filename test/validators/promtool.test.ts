import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRules, testRules } from './promtool.js';
import { haveTool } from './tool.js';

const RULES = `groups:
  - name: example
    rules:
      - record: job:requests:rate5m
        expr: sum by (job) (rate(requests_total[5m]))
      - alert: TooManyRequests
        expr: job:requests:rate5m > 1
        labels: {severity: ticket}
        annotations: {summary: busy}
`;

const TEST = `rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - {series: 'requests_total{job="a"}', values: '0+120x10'}
    alert_rule_test:
      - eval_time: 5m
        alertname: TooManyRequests
        exp_alerts:
          - exp_labels: {severity: ticket, job: a}
            exp_annotations: {summary: busy}
`;

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'promtool-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe.runIf(haveTool('promtool'))('promtool validator', () => {
  it('accepts valid rules and a passing unit test', () => {
    const d = dir({ 'rules.yml': RULES, 'test.yml': TEST });
    expect(checkRules(['rules.yml'], d).code).toBe(0);
    expect(testRules(['test.yml'], d)).toMatchObject({ code: 0 });
  });

  it('catches broken PromQL (broken on purpose)', () => {
    const d = dir({ 'rules.yml': RULES.replace('[5m]))', '[5m])') });
    const r = checkRules(['rules.yml'], d);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/parse error|unclosed/i);
  });

  it('catches a unit test whose expectation is wrong (broken on purpose)', () => {
    const d = dir({ 'rules.yml': RULES, 'test.yml': TEST.replace('{summary: busy}', '{}') });
    const r = testRules(['test.yml'], d);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('TooManyRequests');
  });
});
