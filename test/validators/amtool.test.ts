import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig, checkConfigAsWritten, knowsWebhookUrlFile, routeTest } from './amtool.js';
import { haveTool } from './tool.js';

const CONFIG = `route:
  receiver: default
  routes:
    - matchers: ['severity="page"']
      receiver: pager
receivers:
  - name: default
  - name: pager
`;

function file(text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'amtool-')), 'alertmanager.yml');
  writeFileSync(p, text);
  return p;
}

describe.runIf(haveTool('amtool'))('amtool validator', () => {
  it('accepts a valid config and verifies routes', () => {
    const f = file(CONFIG);
    expect(checkConfig(f).code).toBe(0);
    expect(routeTest(f, 'pager', { severity: 'page' }).code).toBe(0);
    expect(routeTest(f, 'default', { severity: 'ticket' }).code).toBe(0);
  });

  it('catches a route to an undefined receiver (broken on purpose)', () => {
    const r = checkConfig(file(CONFIG.replace('receiver: pager', 'receiver: missing')));
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/undefined receiver "missing"/);
  });

  it('catches an alert routed to the wrong receiver (broken on purpose)', () => {
    expect(routeTest(file(CONFIG), 'default', { severity: 'page' }).code).not.toBe(0);
  });

  const HEARTBEAT = `${CONFIG}  - name: heartbeat
    webhook_configs:
      - url_file: /etc/alertmanager/secrets/alertmanager-heartbeat/url
        send_resolved: false
`;

  it('checks a webhook url_file config: as written when amtool knows url_file (0.26+), else with only that key stood in', () => {
    const f = file(HEARTBEAT);
    expect(checkConfig(f).code).toBe(0);
    // An amtool older than 0.26 rejects the key itself, which is why the stand-in exists;
    // a newer one accepts the file as written.
    expect(checkConfigAsWritten(f).code === 0).toBe(knowsWebhookUrlFile());
    // The stand-in replaces url_file only: the rest is still checked.
    const broken = checkConfig(file(HEARTBEAT.replace('send_resolved: false', 'send_resolved: maybe')));
    expect(broken.code).not.toBe(0);
  });
});
