import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { routeExpectations } from '../../../src/practices/monitoring/alertmanager.js';
import { ALERTMANAGER_CONFIG, monitoringPractice } from '../../../src/practices/monitoring/index.js';
import { observabilityPractice } from '../../../src/practices/observability/index.js';
import type { Spec } from '../../../src/spec/types.js';
import { checkConfig, routeTest } from '../../validators/amtool.js';
import { haveTool } from '../../validators/tool.js';
import { monorepoSpec, nodeSpec } from './fixtures.js';
import { renderPracticeRecord } from './render.js';

/**
 * The Alertmanager that GitOps deploys (kube-prometheus-stack's values) must run the
 * routing the monitoring practice generates, with the Secrets its *_file paths point at.
 */

type Obj = Record<string, any>;

const APP = 'deploy/argocd/apps/kube-prometheus-stack.yaml';

function values(spec: Spec): Obj {
  const app = parse(renderPracticeRecord(observabilityPractice, spec)[APP]!) as Obj;
  return app['spec']['source']['helm']['valuesObject'];
}

/**
 * What Helm renders into the Alertmanager Secret: our values deep-merged over the chart's
 * defaults. Maps merge, lists replace: the chart's own route, receivers and inhibit_rules
 * give way (which is why ours restate the chart's inhibit rules); its `global.resolve_timeout`
 * and `templates` glob stay.
 */
function deployedConfig(config: Obj): Obj {
  return { global: { resolve_timeout: '5m' }, ...config, templates: ['/etc/alertmanager/config/*.tmpl'] };
}

/** Every `*_file` value anywhere in the config. */
function secretFiles(config: unknown): string[] {
  if (Array.isArray(config)) return config.flatMap(secretFiles);
  if (config && typeof config === 'object') {
    return Object.entries(config).flatMap(([k, v]) => (k.endsWith('_file') && typeof v === 'string' ? [v] : secretFiles(v)));
  }
  return [];
}

function write(config: Obj): string {
  const dir = mkdtempSync(join(tmpdir(), 'devops-init-am-values-'));
  const file = join(dir, 'alertmanager.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

describe('kube-prometheus-stack values: the generated Alertmanager routing is deployed', () => {
  it('alertmanager.config is the same object as monitoring/alertmanager/alertmanager.yml', () => {
    for (const spec of [nodeSpec(), monorepoSpec()]) {
      const generated = parse(renderPracticeRecord(monitoringPractice, spec)[ALERTMANAGER_CONFIG]!);
      expect(values(spec)['alertmanager']['config']).toEqual(generated);
    }
  });

  it('mounts exactly the Secrets behind the *_file paths, at the operator\'s /etc/alertmanager/secrets/<name>/', () => {
    const am = values(nodeSpec())['alertmanager'];
    expect(am['alertmanagerSpec']['secrets']).toEqual(['alertmanager-pagerduty', 'alertmanager-slack', 'alertmanager-heartbeat']);
    const files = secretFiles(am['config']);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const m = /^\/etc\/alertmanager\/secrets\/([^/]+)\/([^/]+)$/.exec(f);
      expect(m, f).not.toBeNull();
      expect(am['alertmanagerSpec']['secrets']).toContain(m![1]);
    }
    // Nothing secret inline: no url/key fields without _file.
    expect(JSON.stringify(am)).not.toMatch(/"(api_url|routing_key|service_key)"/);
  });

  it('without the monitoring practice the chart keeps its own Alertmanager config', () => {
    expect(values(nodeSpec({ practices: ['gitops', 'observability'] }))['alertmanager']).toBeUndefined();
  });

  it('Prometheus accepts late OTLP samples; Grafana\'s Tempo datasource has no service map (no metrics-generator)', () => {
    const v = values(nodeSpec());
    expect(v['prometheus']['prometheusSpec']['tsdb']).toEqual({ outOfOrderTimeWindow: '30m' });
    const tempo = (v['grafana']['additionalDataSources'] as Obj[]).find((d) => d['type'] === 'tempo')!;
    expect(tempo['jsonData']['serviceMap']).toBeUndefined();
  });
});

describe.runIf(haveTool('amtool'))('kube-prometheus-stack values: amtool', () => {
  for (const [name, spec] of [['single Node service', nodeSpec()], ['monorepo', monorepoSpec()]] as const) {
    it(`${name}: the deployed config passes check-config and routes every expectation`, () => {
      const file = write(deployedConfig(values(spec)['alertmanager']['config']));
      const check = checkConfig(file);
      expect(check.code, check.output).toBe(0);
      for (const { labels, receiver } of routeExpectations(spec)) {
        const r = routeTest(file, receiver, labels);
        expect(r.code, `${JSON.stringify(labels)} → ${receiver}: ${r.output}`).toBe(0);
      }
    });
  }

  it('amtool catches a broken config extracted the same way (a route to a receiver that does not exist)', () => {
    const config = structuredClone(values(nodeSpec())['alertmanager']['config']) as Obj;
    config['route']['routes'][1]['receiver'] = 'pagerduty-typo';
    const check = checkConfig(write(deployedConfig(config)));
    expect(check.code).not.toBe(0);
    expect(check.output).toMatch(/pagerduty-typo/);
  });
});
