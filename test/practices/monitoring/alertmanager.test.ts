import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { routeExpectations } from '../../../src/practices/monitoring/alertmanager.js';
import { ALERTMANAGER_CONFIG } from '../../../src/practices/monitoring/index.js';
import { checkConfig, routeTest } from '../../validators/amtool.js';
import { haveTool } from '../../validators/tool.js';
import { monorepoSpec, nodeSpec, renderMonitoring, writeRecord } from './render.js';

type Route = { receiver: string; matchers?: string[]; routes?: Route[]; group_by?: string[] };

describe('alertmanager config: structure', () => {
  const text = renderMonitoring(monorepoSpec())[ALERTMANAGER_CONFIG]!;
  const cfg = parse(text) as { route: Route; receivers: Record<string, unknown>[]; inhibit_rules: Record<string, unknown>[] };

  it('groups by alertname/service/slo with a matcher-free root route', () => {
    expect(cfg.route.receiver).toBe('default-slack');
    expect(cfg.route.matchers).toBeUndefined();
    expect(cfg.route.group_by).toEqual(['alertname', 'service', 'slo']);
  });

  it('uses only `matchers` with double-quoted values (no deprecated match/match_re)', () => {
    expect(text).not.toMatch(/\b(match|match_re|source_match|target_match):/);
    const all: string[] = [];
    const walk = (r: Route) => { all.push(...(r.matchers ?? [])); (r.routes ?? []).forEach(walk); };
    walk(cfg.route);
    for (const m of cfg.inhibit_rules) all.push(...((m['source_matchers'] as string[]) ?? []), ...(m['target_matchers'] as string[]));
    for (const m of all) expect(m).toMatch(/^[a-z_]+(=|=~|!=)"[^"]*"$/);
  });

  it('keeps secrets out of the file: only *_file references', () => {
    expect(text).not.toMatch(/\b(routing_key|service_key|api_url):/);
    // The operator mounts Secret <name> at /etc/alertmanager/secrets/<name>/: these paths are
    // Secret alertmanager-pagerduty key routing-key and Secret alertmanager-slack key api-url.
    expect(text).toContain('routing_key_file: /etc/alertmanager/secrets/alertmanager-pagerduty/routing-key');
    expect(text).toContain('api_url_file: /etc/alertmanager/secrets/alertmanager-slack/api-url');
  });

  it('inhibits tickets while a page fires for the same service and SLO; Slack sends resolved', () => {
    expect(cfg.inhibit_rules[0]).toEqual({ source_matchers: ['severity="page"'], target_matchers: ['severity="ticket"'], equal: ['service', 'slo'] });
    for (const r of cfg.receivers) {
      for (const s of (r['slack_configs'] as Record<string, unknown>[] | undefined) ?? []) expect(s['send_resolved']).toBe(true);
    }
  });

  it('keeps kube-prometheus-stack\'s own inhibition rules (Helm replaces lists, so they are restated after ours)', () => {
    // alertmanager.config.inhibit_rules of kube-prometheus-stack 75.6.1's values.yaml, as written there.
    const chart = [
      { source_matchers: ['severity = critical'], target_matchers: ['severity =~ warning|info'], equal: ['namespace', 'alertname'] },
      { source_matchers: ['severity = warning'], target_matchers: ['severity = info'], equal: ['namespace', 'alertname'] },
      { source_matchers: ['alertname = InfoInhibitor'], target_matchers: ['severity = info'], equal: ['namespace'] },
      { target_matchers: ['alertname = InfoInhibitor'] },
    ];
    // Same matchers: ours only quote the values (the UTF-8 matcher parser's preferred form).
    const norm = (rules: Record<string, unknown>[]) => JSON.parse(JSON.stringify(rules).replace(/ |\\"/g, ''));
    expect(norm(cfg.inhibit_rules.slice(1))).toEqual(norm(chart));
  });

  it('routes Watchdog to a heartbeat webhook (dead man\'s switch) whose URL is read from a mounted Secret, not to null', () => {
    const watchdog = cfg.route.routes!.find((r) => r.matchers?.includes('alertname="Watchdog"'))!;
    expect(watchdog.receiver).toBe('heartbeat');
    expect(watchdog).toMatchObject({ repeat_interval: '5m' });
    const heartbeat = cfg.receivers.find((r) => r['name'] === 'heartbeat')!;
    expect(heartbeat['webhook_configs']).toEqual([{ url_file: '/etc/alertmanager/secrets/alertmanager-heartbeat/url', send_resolved: false }]);
    // Only InfoInhibitor is silenced.
    const silenced = cfg.route.routes!.filter((r) => r.receiver === 'null').flatMap((r) => r.matchers);
    expect(silenced).toEqual(['alertname="InfoInhibitor"']);
    expect(routeExpectations(monorepoSpec())).toContainEqual({ labels: { alertname: 'Watchdog', severity: 'none' }, receiver: 'heartbeat' });
  });

  it('gives each team its #<team>-alerts channel', () => {
    const team = cfg.receivers.find((r) => r['name'] === 'slack-team-payments') as { slack_configs: { channel: string }[] };
    expect(team.slack_configs[0]!.channel).toBe('#payments-alerts');
  });
});

describe.runIf(haveTool('amtool'))('alertmanager config: amtool', () => {
  for (const [name, spec] of [['single Node service', nodeSpec()], ['monorepo with a team', monorepoSpec()]] as const) {
    it(`${name}: check-config passes and every route reaches its receiver`, () => {
      const dir = writeRecord(renderMonitoring(spec));
      const file = `${dir}/${ALERTMANAGER_CONFIG}`;
      const check = checkConfig(file);
      expect(check.code, check.output).toBe(0);
      for (const { labels, receiver } of routeExpectations(spec)) {
        const r = routeTest(file, receiver, labels);
        expect(r.code, `${JSON.stringify(labels)} → ${receiver}: ${r.output}`).toBe(0);
      }
      // And a wrong expectation is caught: a page never goes to Slack.
      expect(routeTest(file, 'slack-tickets', { severity: 'page', service: 'api', slo: 'availability' }).code).not.toBe(0);
    });
  }
});
