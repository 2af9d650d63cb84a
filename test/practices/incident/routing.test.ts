import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { routeExpectations } from '../../../src/practices/monitoring/alertmanager.js';
import { ALERTMANAGER_CONFIG } from '../../../src/practices/monitoring/index.js';
import { SEVERITY_LABEL } from '../../../src/practices/incident/index.js';
import { sloProblems } from '../../../src/practices/monitoring/validate.js';
import type { Spec } from '../../../src/spec/types.js';
import { buildModel } from '../../../src/model/build.js';
import { contributionOrder } from '../../../src/practices/index.js';
import { checkConfig, routeTest } from '../../validators/amtool.js';
import { haveTool } from '../../validators/tool.js';
import { makeSpec, renderRecord } from '../../helpers/spec.js';
import { writeRecord } from '../monitoring/render.js';

type Rule = { alert?: string; labels?: Record<string, string> };
type Route = { receiver: string; matchers?: string[]; routes?: Route[] };

const SERVICES = [
  { name: 'api', path: 'services/api', language: 'node', team: 'payments' },
  { name: 'web', path: 'services/web', language: 'python' },
];

function spec(incident: Record<string, unknown> | undefined, services: unknown[] = SERVICES): Spec {
  return makeSpec({ practices: incident ? ['monitoring', 'incident'] : ['monitoring'], services, ...(incident ? { incident } : {}) });
}

/** The services' PrometheusRules: the only copy of the rules (CI extracts `.spec` for promtool). */
const isServiceRuleFile = (p: string) => /^monitoring\/kubernetes\/.+-prometheusrule\.yaml$/.test(p);

function alertRules(files: Record<string, string>): Rule[] {
  return Object.entries(files)
    .filter(([p]) => isServiceRuleFile(p))
    .flatMap(([, t]) => (parse(t) as { spec: { groups: { rules: Rule[] }[] } }).spec.groups.flatMap((g) => g.rules))
    .filter((r) => r.alert);
}

/** Run the generated monitoring/promtool.sh (extract the PrometheusRules, check, test) in a written repo, as CI does. */
function promtoolScript(dir: string): { code: number; output: string } {
  const r = spawnSync('sh', ['monitoring/promtool.sh'], { cwd: dir, encoding: 'utf8' });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

function routing(s: Spec) {
  return buildModel(s, contributionOrder()).alerting!.routing;
}

describe('incident severities on every alert and in the Alertmanager routes', () => {
  const s = spec({});
  const files = renderRecord(s);

  it('every generated alert carries the incident severity the matrix maps it to', () => {
    const rules = alertRules(files);
    expect(rules.length).toBeGreaterThan(4);
    for (const r of rules) {
      const expected = r.labels!['severity'] === 'page' ? 'SEV2' : r.labels!['slo'] ? 'SEV3' : 'SEV4';
      expect(r.labels![SEVERITY_LABEL], r.alert).toBe(expected);
    }
    // The PrometheusRule Argo CD deploys carries the same labels.
    const pr = Object.entries(files).find(([p]) => p.endsWith('api-prometheusrule.yaml'))?.[1];
    if (pr) expect(pr).toContain(`${SEVERITY_LABEL}: SEV2`);
  });

  it('the promtool tests expect the label on every alert they expect', () => {
    // The services' own tests (the shared test runs on synthetic services no matrix maps).
    const tests = Object.entries(files).filter(([p]) => /^monitoring\/tests\/[^/]+\.test\.yml$/.test(p) && !p.endsWith('.shared.test.yml'));
    const exp = tests.flatMap(([, t]) => (parse(t) as { tests: { alert_rule_test?: { exp_alerts: { exp_labels: Record<string, string> }[] }[] }[] }).tests)
      .flatMap((t) => t.alert_rule_test ?? []).flatMap((a) => a.exp_alerts);
    expect(exp.length).toBeGreaterThan(0);
    for (const e of exp) expect(e.exp_labels[SEVERITY_LABEL]).toMatch(/^SEV[234]$/);
  });

  it('routes page-worthy severities to the pager and the others to tickets, before the severity routes', () => {
    const cfg = parse(files[ALERTMANAGER_CONFIG]!) as { route: Route };
    const routes = cfg.route.routes!.map((r) => `${r.matchers!.join(',')} -> ${r.receiver}`);
    expect(routes.slice(2)).toEqual([
      `${SEVERITY_LABEL}=~"SEV1|SEV2" -> pagerduty`,
      `${SEVERITY_LABEL}=~"SEV3|SEV4" -> slack-tickets`,
      'severity="page" -> pagerduty',
      'severity="ticket" -> slack-tickets',
    ]);
  });

  it('without incident, no alert carries it and Alertmanager routes on severity alone', () => {
    const plain = renderRecord(spec(undefined));
    for (const r of alertRules(plain)) expect(r.labels![SEVERITY_LABEL]).toBeUndefined();
    expect(plain[ALERTMANAGER_CONFIG]).not.toContain(SEVERITY_LABEL);
  });

  it('Opsgenie: the paging receiver is opsgenie_configs with api_key_file from a mounted Secret, listed for the operator', () => {
    const rec = renderRecord(makeSpec({ practices: ['ci', 'gitops', 'observability', 'monitoring', 'incident'], services: SERVICES, incident: { onCall: { tool: 'opsgenie', rotation: 'weekly' } } }));
    const cfg = parse(rec[ALERTMANAGER_CONFIG]!) as { receivers: Record<string, unknown>[] };
    const receiver = cfg.receivers.find((r) => r['name'] === 'opsgenie')!;
    expect(receiver['opsgenie_configs']).toMatchObject([{ api_key_file: '/etc/alertmanager/secrets/alertmanager-opsgenie/api-key', send_resolved: true }]);
    expect(cfg.receivers.some((r) => 'pagerduty_configs' in r)).toBe(false);
    expect(rec[ALERTMANAGER_CONFIG]).not.toMatch(/\bapi_key:/);
    const app = Object.entries(rec).find(([p]) => p.endsWith('apps/kube-prometheus-stack.yaml'))![1];
    expect(app).toContain('alertmanager-opsgenie');
    expect(app).not.toContain('alertmanager-pagerduty');
  });
});

describe('the Opsgenie key file must be where the operator mounts Secrets (only when Opsgenie pages)', () => {
  const raw = (tool: string, file: string) => makeSpec({ practices: ['ci', 'gitops', 'observability', 'monitoring', 'incident'], monitoring: { opsgenie: { apiKeyFile: file } }, incident: { onCall: { tool, rotation: 'weekly' } } });
  it('a key file outside /etc/alertmanager/secrets/<Secret>/<key> is a problem naming monitoring.opsgenie.apiKeyFile', () => {
    const problems = sloProblems(raw('opsgenie', '/etc/opsgenie-key'));
    expect(problems.map((p) => p.path.join('.'))).toEqual(['monitoring.opsgenie.apiKeyFile']);
    expect(problems[0]!.fix).toContain('alertmanager-opsgenie/api-key');
    expect(sloProblems(raw('opsgenie', '/etc/alertmanager/secrets/og/key'))).toEqual([]);
    expect(sloProblems(raw('pagerduty', '/etc/opsgenie-key'))).toEqual([]);
  });
});

describe.runIf(haveTool('amtool'))('incident routing: amtool', () => {
  const variants: [string, Record<string, unknown>][] = [
    ['PagerDuty', {}],
    ['Opsgenie', { onCall: { tool: 'opsgenie', rotation: 'weekly' } }],
    ['no paging tool', { onCall: { tool: 'none', rotation: 'daily' } }],
    [
      'SEV3 made page-worthy in devops.yaml',
      {
        severities: [
          { name: 'SEV1', description: 'down', routing: 'page', responseMinutes: 5, postmortem: true },
          { name: 'SEV2', description: 'fast burn', routing: 'page', responseMinutes: 15, postmortem: true },
          { name: 'SEV3', description: 'slow burn', routing: 'page', responseMinutes: 60, postmortem: false },
          { name: 'SEV4', description: 'blind', routing: 'ticket', responseMinutes: 1440, postmortem: false },
        ],
      },
    ],
  ];
  for (const [name, incident] of variants) {
    it(`${name}: check-config passes and every severity reaches the receiver the matrix gives it`, () => {
      const s = spec(incident);
      const dir = writeRecord(renderRecord(s));
      const file = join(dir, ALERTMANAGER_CONFIG);
      const check = checkConfig(file);
      expect(check.code, check.output).toBe(0);
      const r = routing(s)!;
      const expectations = routeExpectations(s, r);
      expect(expectations.filter((e) => SEVERITY_LABEL in e.labels).length).toBeGreaterThanOrEqual(4);
      for (const { labels, receiver } of expectations) {
        const t = routeTest(file, receiver, labels);
        expect(t.code, `${JSON.stringify(labels)} → ${receiver}: ${t.output}`).toBe(0);
      }
      // Broken on purpose: SEV1 never lands in the ticket channel.
      expect(routeTest(file, 'slack-tickets', { [SEVERITY_LABEL]: 'SEV1', service: 'api' }).code).not.toBe(0);
    });
  }

  it('a config that routes SEV1 to tickets fails the same route tests (broken on purpose)', () => {
    const s = spec({});
    const dir = writeRecord(renderRecord(s));
    const file = join(dir, ALERTMANAGER_CONFIG);
    writeFileSync(file, readFileSync(file, 'utf8').replace('SEV1|SEV2', 'SEV2').replace('SEV3|SEV4', 'SEV1|SEV3|SEV4'));
    expect(checkConfig(file).code).toBe(0);
    expect(routeTest(file, 'pagerduty', { [SEVERITY_LABEL]: 'SEV1', service: 'api' }).code).not.toBe(0);
  });
});

describe.runIf(haveTool('promtool'))('incident severities: promtool', () => {
  const one = spec({}, [{ name: 'api', path: '.', language: 'node', slos: [{ name: 'availability', kind: 'availability', objective: 99.9 }] }]);
  const files = renderRecord(one);

  it('the generated unit tests pass with the incident severity on the alerts', () => {
    const r = promtoolScript(writeRecord(files));
    expect(r.code, r.output).toBe(0);
  }, 300_000);

  it('rules without the label fail them (the tests really expect it)', () => {
    const dir = writeRecord(files);
    for (const p of Object.keys(files).filter(isServiceRuleFile)) {
      const text = readFileSync(join(dir, p), 'utf8');
      const broken = text.replace(new RegExp(`^\\s*${SEVERITY_LABEL}: .*\\n`, 'gm'), '');
      expect(broken).not.toBe(text);
      writeFileSync(join(dir, p), broken);
    }
    // Only the services' own tests read the services' rules: the shared test (the shared group on
    // the example fixture, most of promtool's time) cannot see this edit, so it is left out here.
    const shared = 'monitoring/tests/slos.shared.test.yml';
    expect((parse(files[shared]!) as { rule_files: string[] }).rule_files.filter((f) => f.includes('api'))).toEqual([]);
    rmSync(join(dir, shared));
    const r = promtoolScript(dir);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/FAILED/);
  }, 300_000);
});
