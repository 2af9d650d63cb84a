import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig, routeTest } from './amtool.js';
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
});
