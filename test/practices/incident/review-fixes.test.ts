import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { POSTMORTEM_RULE_JS } from '../../../src/practices/incident/scripts.js';
import type { Spec } from '../../../src/spec/types.js';
import { computeTree } from '../../../src/tree/compute.js';
import { makeSpec } from '../../helpers/spec.js';
import { kustomizeBuild, parseObjects, writeRecord } from '../../validators/kustomize.js';

/**
 * Issue 12's production review (B3, S2–S7, N1, N2): each test runs the generated artefact (the
 * scripts against fake GitHub and GitLab APIs, the runbook text against the generated manifests)
 * and shows its check failing on the broken variant the review found.
 */

const record = (spec: Spec) => computeTree(spec).toRecord();
const githubSpec = (extra: Record<string, unknown> = {}): Spec =>
  makeSpec({ practices: ['ci', 'gitops', 'deploy', 'monitoring', 'logging', 'incident'], services: [{ name: 'api', path: '.', language: 'node', deploy: { strategy: 'canary', featureFlags: true } }], ...extra });
const gitlabSpec = (): Spec => makeSpec({ practices: ['ci', 'gitops', 'monitoring', 'logging', 'incident'], ci: { provider: 'gitlab' } });

type Steps = { name: string; with?: { script?: string }; env?: Record<string, string> }[];
function steps(files: Record<string, string>, path: string): Steps {
  const wf = parse(files[path]!) as { jobs: Record<string, { steps: Steps }> };
  return Object.values(wf.jobs)[0]!.steps;
}

/** Strips the marker comment devops-init puts on the first line of a managed .mjs file. */
const body = (text: string) => text.replace(/^\/\/.*\n/, '');

// ---------------------------------------------------------------------------------------
// Fakes: just enough of actions/github-script's `github`/`context`/`core`, and of fetch.

interface Issue { number: number; state: 'open' | 'closed'; closed_at: string | null; body: string; labels: string[]; comments: string[] }

class FakeGitHub {
  labels = new Set<string>();
  created: { name: string; color: string; description: string }[] = [];
  calls: string[] = [];
  failComment = 0;
  failCreateLabel?: number;
  constructor(public issues: Issue[] = []) {}
  github() {
    const self = this;
    const error = (status: number, errors: { code: string }[] = []) => Object.assign(new Error(`HTTP ${status}`), { status, response: { data: { errors } } });
    const rest = {
      issues: {
        listForRepo: (p: { labels: string }) => self.issues.filter((i) => i.labels.includes(p.labels)).map((i) => ({ ...i, labels: i.labels.map((name) => ({ name })) })),
        listComments: (p: { issue_number: number }) => self.issues.find((i) => i.number === p.issue_number)!.comments.map((b) => ({ body: b })),
        createComment: async (p: { issue_number: number; body: string }) => {
          self.calls.push(`comment #${p.issue_number}`);
          if (self.failComment > 0) {
            self.failComment -= 1;
            throw error(502);
          }
          self.issues.find((i) => i.number === p.issue_number)!.comments.push(p.body);
        },
        addLabels: async (p: { issue_number: number; labels: string[] }) => {
          self.calls.push(`label #${p.issue_number}`);
          self.issues.find((i) => i.number === p.issue_number)!.labels.push(...p.labels);
        },
        createLabel: async (p: { name: string; color: string; description: string }) => {
          if (self.failCreateLabel) throw error(self.failCreateLabel);
          if (self.labels.has(p.name)) throw error(422, [{ code: 'already_exists' }]);
          self.labels.add(p.name);
          self.created.push({ name: p.name, color: p.color, description: p.description });
        },
      },
    };
    return { rest, paginate: async (fn: (p: never) => unknown, p: never) => fn(p) };
  }
  async run(script: string, env: Record<string, string> = {}): Promise<void> {
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...a: string[]) => (...v: unknown[]) => Promise<void>;
    const context = { repo: { owner: 'acme', repo: 'shop' }, serverUrl: 'https://github.com' };
    const core = { info: () => undefined };
    await new AsyncFunction('github', 'context', 'core', 'process', script)(this.github(), context, core, { env });
  }
}

interface Call { method: string; path: string; body?: Record<string, unknown> }
/** A fetch whose answers come from `route`; every call is recorded. */
function fakeFetch(route: (c: Call) => { status: number; json?: unknown }) {
  const calls: Call[] = [];
  const fetch = async (url: string, init: { method?: string; body?: string } = {}) => {
    const c: Call = { method: init.method ?? 'GET', path: url.replace('https://gitlab.example/api/v4/projects/7', ''), body: init.body ? JSON.parse(init.body) : undefined };
    calls.push(c);
    const r = route(c);
    return { ok: r.status < 300, status: r.status, json: async () => r.json, text: async () => JSON.stringify(r.json ?? '') };
  };
  return { fetch, calls };
}
const GITLAB_ENV = { CI_API_V4_URL: 'https://gitlab.example/api/v4', CI_PROJECT_ID: '7', CI_PROJECT_URL: 'https://gitlab.example/acme/shop', INCIDENT_BOT_TOKEN: 't' };
async function runNode(script: string, fetch: unknown, env: Record<string, string>, readFileSync: (p: string) => string = () => 'body'): Promise<void> {
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...a: string[]) => (...v: unknown[]) => Promise<void>;
  const code = body(script).replace("import { readFileSync } from 'node:fs';", '');
  await new AsyncFunction('fetch', 'process', 'console', 'readFileSync', code)(fetch, { env: { ...GITLAB_ENV, ...env } }, { log: () => undefined }, readFileSync);
}

// ---------------------------------------------------------------------------------------

/** Every label a user or a script is told to use: forms, GitLab quick actions, the severity doc, the workflows' env. */
function namedLabels(files: Record<string, string>): Set<string> {
  const out = new Set<string>();
  for (const [path, text] of Object.entries(files)) {
    if (path.startsWith('.github/ISSUE_TEMPLATE/')) for (const l of (parse(text) as { labels?: string[] }).labels ?? []) out.add(l);
    if (path.startsWith('.gitlab/issue_templates/')) for (const m of text.matchAll(/^\/label ~(\S+)/gm)) out.add(m[1]!);
    if (path.startsWith('.gitlab/ci/incident-')) for (const m of text.matchAll(/^\s+(?:INCIDENT|POSTMORTEM|OVERDUE|DRILL)_LABEL: (\S+)$/gm)) out.add(m[1]!);
    if (path.includes('workflows/incident-')) for (const s of steps(files, path)) for (const [k, v] of Object.entries(s.env ?? {})) if (k.endsWith('_LABEL')) out.add(v);
    if (path === 'docs/incident/severities.md') for (const m of text.slice(text.indexOf('## Labels')).matchAll(/^\| `([^`]+)` \|/gm)) out.add(m[1]!);
  }
  return out;
}
const missing = (named: Set<string>, created: Iterable<string>) => [...named].filter((l) => ![...created].includes(l));

describe('B3: the scheduled incident jobs create every label the forms, templates and docs name', () => {
  const files = record(githubSpec());
  const named = namedLabels(files);

  it('names the labels it should (the collector is not vacuous)', () => {
    expect([...named].sort()).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4', 'drill', 'incident', 'postmortem', 'postmortem-overdue']);
  });

  for (const path of ['.github/workflows/incident-postmortems.yml', '.github/workflows/incident-drill.yml']) {
    it(`${path}: the first step creates them all, idempotently (422 already_exists is fine), before the job's own step`, async () => {
      const [ensure, main] = steps(files, path);
      expect(ensure!.name).toBe('Ensure the incident labels exist');
      expect(main!.name).not.toBe(ensure!.name);
      const gh = new FakeGitHub();
      await gh.run(ensure!.with!.script!);
      expect(missing(named, gh.labels)).toEqual([]);
      for (const l of gh.created) {
        expect(l.color).toMatch(/^[0-9a-f]{6}$/);
        expect(l.description.length).toBeLessThanOrEqual(100);
      }
      await gh.run(ensure!.with!.script!); // second run: every label exists → 422s swallowed
      expect(gh.created.length).toBe(gh.labels.size);
      const denied = new FakeGitHub();
      denied.failCreateLabel = 403;
      await expect(denied.run(ensure!.with!.script!)).rejects.toThrow('HTTP 403');
    });
  }

  it('the check fails when a named label is not created', async () => {
    const gh = new FakeGitHub();
    await gh.run(steps(files, '.github/workflows/incident-postmortems.yml')[0]!.with!.script!.replace(/^.*"name":"postmortem-overdue".*\n/m, ''));
    expect(missing(named, gh.labels)).toEqual(['postmortem-overdue']);
  });

  it('GitLab: both jobs run labels.mjs first; it POSTs /labels, takes 409 as "exists", throws on other errors', async () => {
    const gl = record(gitlabSpec());
    const glNamed = namedLabels(gl);
    expect(glNamed.has('incident') && glNamed.has('SEV1') && glNamed.has('drill')).toBe(true);
    for (const p of ['.gitlab/ci/incident-postmortems.yml', '.gitlab/ci/incident-drill.yml']) {
      const job = Object.values(parse(gl[p]!) as Record<string, { script?: string[] }>).find((j) => j?.script)!;
      expect(job.script![0]).toBe('node .gitlab/incident/labels.mjs');
    }
    const existing = new Set(['incident']);
    const ok = fakeFetch((c) => (existing.has(String(c.body!['name'])) ? { status: 409 } : (existing.add(String(c.body!['name'])), { status: 201, json: {} })));
    await runNode(gl['.gitlab/incident/labels.mjs']!, ok.fetch, {});
    expect(ok.calls.every((c) => c.method === 'POST' && c.path === '/labels' && /^#[0-9a-f]{6}$/.test(String(c.body!['color'])))).toBe(true);
    expect(missing(glNamed, existing)).toEqual([]);
    const broken = fakeFetch(() => ({ status: 401, json: { message: '401 Unauthorized' } }));
    await expect(runNode(gl['.gitlab/incident/labels.mjs']!, broken.fetch, {})).rejects.toThrow('401');
  });
});

// ---------------------------------------------------------------------------------------

const CLOSED = '2026-01-02T16:00:00Z'; // a Friday, far in the past when the scripts run
const FORM_BODY = (incident: string, actions = '- [ ] fix the retry loop — @ana — #1') =>
  `### Incident issue\n\n${incident}\n\n### Summary\n\nThe API failed.\n\n### Action items\n\n${actions}\n`;

describe('S7: the reminder comments first (once, with a marker), then labels', () => {
  const files = record(githubSpec());
  const reminder = steps(files, '.github/workflows/incident-postmortems.yml')[1]!;
  const env = reminder.env!;
  const incident = (): Issue => ({ number: 1, state: 'closed', closed_at: CLOSED, body: '', labels: ['incident'], comments: [] });

  it('a failed comment leaves the incident unlabelled, so the next run reminds it; then nothing more', async () => {
    const gh = new FakeGitHub([incident()]);
    gh.failComment = 1;
    await expect(gh.run(reminder.with!.script!, env)).rejects.toThrow('HTTP 502');
    expect(gh.calls).toEqual(['comment #1']);
    expect(gh.issues[0]!.labels).toEqual(['incident']);
    await gh.run(reminder.with!.script!, env);
    expect(gh.calls).toEqual(['comment #1', 'comment #1', 'label #1']);
    expect(gh.issues[0]!.comments).toHaveLength(1);
    expect(gh.issues[0]!.comments[0]).toContain('<!-- devops-init:postmortem-reminder -->');
    await gh.run(reminder.with!.script!, env);
    expect(gh.calls).toHaveLength(3);
  });

  it('a commented but unlabelled incident (labelling failed) gets the label and no second comment', async () => {
    const gh = new FakeGitHub([{ ...incident(), comments: ['<!-- devops-init:postmortem-reminder -->\nThis incident was closed…'] }]);
    await gh.run(reminder.with!.script!, env);
    expect(gh.calls).toEqual(['label #1']);
  });

  it('the broken order (label, then comment) would fail the first test', async () => {
    const broken = reminder.with!.script!.replace(/ {2}if \(!reminded\(comments\)\) \{[\s\S]*?\n {2}\}\n( {2}await github\.rest\.issues\.addLabels\(.*\n)/, '$1  await github.rest.issues.createComment({ ...context.repo, issue_number: i.number, body: "x" });\n');
    expect(broken).not.toBe(reminder.with!.script!);
    const gh = new FakeGitHub([incident()]);
    gh.failComment = 1;
    await expect(gh.run(broken, env)).rejects.toThrow();
    expect(gh.issues[0]!.labels).toContain('postmortem-overdue'); // labelled without a comment: never reminded
  });

  it('GitLab: notes with the marker are not repeated; the label follows the note', async () => {
    const gl = record(gitlabSpec());
    const script = gl['.gitlab/incident/postmortem-reminder.mjs']!;
    const env = { BUSINESS_DAYS: '5', INCIDENT_LABEL: 'incident', POSTMORTEM_LABEL: 'postmortem', OVERDUE_LABEL: 'postmortem-overdue' };
    const notes: string[] = [];
    const api = fakeFetch((c) => {
      if (c.method === 'GET' && c.path.startsWith('/issues?labels=incident')) return { status: 200, json: [{ iid: 1, state: 'closed', closed_at: CLOSED, description: '', labels: ['incident'] }] };
      if (c.method === 'GET' && c.path.startsWith('/issues?labels=postmortem')) return { status: 200, json: [{ iid: 9, state: 'open', closed_at: null, description: FORM_BODY('#2'), labels: ['postmortem'] }] };
      if (c.method === 'GET' && c.path.startsWith('/issues/1/notes')) return { status: 200, json: notes.map((b) => ({ body: b })) };
      if (c.method === 'POST') return (notes.push(String(c.body!['body'])), { status: 201, json: {} });
      if (c.method === 'PUT') return { status: 500, json: { message: 'boom' } };
      return { status: 404 };
    });
    await expect(runNode(script, api.fetch, env)).rejects.toThrow('PUT /issues/1: 500');
    await expect(runNode(script, api.fetch, env)).rejects.toThrow('PUT /issues/1: 500');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('<!-- devops-init:postmortem-reminder -->');
    const order = api.calls.filter((c) => c.method !== 'GET').map((c) => c.method);
    expect(order).toEqual(['POST', 'PUT', 'PUT']);
  });

  it('GitLab drill: an error answer to the search stops the job instead of opening a duplicate', async () => {
    const gl = record(gitlabSpec());
    const env = { CADENCE: 'quarterly', DRILL_LABEL: 'drill', DRILL_BODY_FILE: 'x' };
    const down = fakeFetch((c) => (c.method === 'GET' ? { status: 503, json: { message: 'unavailable' } } : { status: 201, json: {} }));
    await expect(runNode(gl['.gitlab/incident/drill.mjs']!, down.fetch, env)).rejects.toThrow('search issues: 503');
    expect(down.calls.filter((c) => c.method === 'POST')).toEqual([]);
    const up = fakeFetch((c) => (c.method === 'GET' ? { status: 200, json: [] } : { status: 201, json: {} }));
    await runNode(gl['.gitlab/incident/drill.mjs']!, up.fetch, env);
    expect(up.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/issues']);
  });
});

// ---------------------------------------------------------------------------------------

describe('N2: only the postmortem\'s "Incident issue" section links an incident', () => {
  const rule = new Function(`${POSTMORTEM_RULE_JS}; return { linkedIncidents };`)() as { linkedIncidents(p: { body: string }[], url?: string): Set<number> };
  const url = 'https://github.com/acme/shop/issues/';
  const linked = (bodies: string[]) => [...rule.linkedIncidents(bodies.map((body) => ({ body })), url)].sort();

  it('reads the section the form renders, not action items or the timeline', () => {
    expect(linked([FORM_BODY('#2')])).toEqual([2]);
    expect(linked([FORM_BODY('https://github.com/acme/shop/issues/3')])).toEqual([3]);
    expect(linked([FORM_BODY('_No response_', '- [ ] follow up in #4')])).toEqual([]);
  });
  it('ignores other repositories\' issues', () => {
    expect(linked([FORM_BODY('acme/other#5'), FORM_BODY('https://github.com/acme/other/issues/6')])).toEqual([]);
  });
  it('the GitLab postmortem template has the same section', () => {
    const t = record(gitlabSpec())['.gitlab/issue_templates/Postmortem.md']!;
    expect(linked([t.replace('#NUMBER', '#7')])).toEqual([7]);
  });
  it('the old rule (any #N in the body) counted the action item: this is what the section check prevents', () => {
    const anywhere = [...FORM_BODY('_No response_', '- [ ] follow up in #4').matchAll(/(?:#|\/issues\/)(\d+)\b/g)].map((m) => Number(m[1]));
    expect(anywhere).toEqual([4]);
  });
});

// ---------------------------------------------------------------------------------------

const runbook = (files: Record<string, string>, suffix = 'AvailabilityFastBurn.md') => Object.entries(files).find(([p]) => p.startsWith('docs/runbooks/') && p.endsWith(suffix))![1];

/** Checks a LogQL selector against the labels the generated Fluent Bit config sets on its Loki output. */
function selectorProblems(query: string, fluentBit: string, ns: string, service: string): string[] {
  const cfg = parse(fluentBit) as { pipeline: { outputs: { name: string; labels: string }[] } };
  const loki = cfg.pipeline.outputs.find((o) => o.name === 'loki')!;
  const labels = Object.fromEntries(loki.labels.split(/,\s*/).map((kv) => kv.split('=') as [string, string]));
  const expected = (accessor: string) => (accessor.includes("['namespace_name']") ? ns : accessor.includes("['app.kubernetes.io/name']") ? service : accessor.startsWith('$') ? undefined : accessor);
  const selector = /^\{([^}]*)\}/.exec(query)?.[1] ?? '';
  const out: string[] = [];
  for (const m of selector.matchAll(/(\w+)="([^"]*)"/g)) {
    const accessor = labels[m[1]!];
    if (accessor === undefined) out.push(`Fluent Bit sets no label ${m[1]}`);
    else if (expected(accessor) !== m[2]) out.push(`${m[1]}="${m[2]}" never matches: Fluent Bit sets it to ${accessor}`);
  }
  if (!selector) out.push('no stream selector');
  return out;
}

describe('S2: the runbooks\' log query uses the labels the generated log pipeline sets', () => {
  it('logging on: the Fluent Bit stream labels and the JSON level', () => {
    const files = record(githubSpec());
    const page = runbook(files);
    const query = /`(\{[^`]*\} \| json \| level="error")`/.exec(page)?.[1];
    expect(query).toBe('{namespace="shop-production", app="api"} | json | level="error"');
    expect(selectorProblems(query!, files['logging/fluent-bit/fluent-bit.yaml']!, 'shop-production', 'api')).toEqual([]);
    expect(page).not.toContain('{job=');
  });
  it('the check rejects the old query', () => {
    const files = record(githubSpec());
    expect(selectorProblems('{job="api"} |= "error"', files['logging/fluent-bit/fluent-bit.yaml']!, 'shop-production', 'api')).toEqual(['job="api" never matches: Fluent Bit sets it to fluent-bit']);
  });
  it('observability without logging: the labels Loki gives OTLP logs', () => {
    const page = runbook(record(makeSpec({ practices: ['ci', 'gitops', 'observability', 'monitoring', 'incident'] })));
    expect(page).toContain('`{service_name="api", k8s_namespace_name="shop-production"} | severity_number >= 17`');
  });
  it('no log pipeline: says which labels to use instead of a query that matches nothing', () => {
    const page = runbook(record(makeSpec({ practices: ['ci', 'gitops', 'monitoring', 'incident'] })));
    expect(page).not.toMatch(/\{job="/);
    expect(page).toContain('generates no log pipeline here');
    expect(page).toContain('`app.kubernetes.io/name=api`');
  });
});

describe('S3: scale out raises the HPA\'s floor; the lasting change is in Git', () => {
  it('automated production sync: no kubectl scale, no live patch (self-heal reverts it); the HPA named is the generated one', () => {
    const files = record(githubSpec());
    const page = runbook(files);
    expect(page).not.toMatch(/kubectl .* scale /);
    expect(page).toContain('kubectl -n shop-production get hpa api');
    expect(page).not.toContain('patch hpa');
    expect(page).toContain('services[].deploy.replicas.production in devops.yaml (now 3 to 10)');
    expect(page).toContain('self-heal puts it back from Git within seconds');
    expect(page).toContain('the ApplicationSet that generates it restores its sync policy');
    const hpa = parseObjects(files['deploy/api/base/hpa.yaml']!)[0]!;
    expect(hpa['metadata'].name).toBe('api');
  });
  it('manual production sync: a live patch of minReplicas, to be made in Git before the next sync', () => {
    const spec = githubSpec({ gitops: { productionSync: 'manual' } });
    const page = runbook(record(spec));
    expect(page).toContain(`kubectl -n shop-production patch hpa api --type merge -p '{"spec":{"minReplicas":<n>}}'`);
    expect(page).toContain('the next Argo CD sync puts it back');
  });
});

describe('S4: the kill switch names the real flag file and the instruction of docs/feature-flags.md', () => {
  it('path of the production overlay\'s flag file, state DISABLED, defaultVariant explained', () => {
    const files = record(githubSpec());
    const page = runbook(files);
    const path = /set that flag's `"state": "DISABLED"` in `([^`]+)`/.exec(page)?.[1];
    expect(path).toBe('deploy/api/overlays/production/flags/flags.flagd.json');
    expect(files[path!]).toBeDefined();
    expect(files['docs/feature-flags.md']).toContain('"state": "DISABLED"');
    expect(page).toContain('`defaultVariant` to `"off"` alone does nothing while `targeting`');
    expect(files['deploy/api/overlays/production/flags.flagd.json']).toBeUndefined(); // the path the review found
  });
});

describe('S5: abort (status only), then revert in Git; never undo under self-heal', () => {
  it('runbook and drill', () => {
    const files = record(githubSpec());
    const page = runbook(files);
    expect(page).toContain('kubectl argo rollouts -n shop-production abort api');
    expect(page).not.toMatch(/argo rollouts -n \S+ undo/);
    expect(page).toContain('Do not use `kubectl argo rollouts undo` here');
    expect(page.indexOf('abort api')).toBeLessThan(page.indexOf('git revert <promotion-commit>')); // abort first, then the revert
    const drill = steps(files, '.github/workflows/incident-drill.yml')[1]!.env!['DRILL_BODY']!;
    expect(drill).toContain('kubectl argo rollouts -n shop-staging abort api');
    expect(drill).not.toMatch(/argo rollouts -n \S+ undo/);
    expect(drill.indexOf('abort api')).toBeLessThan(drill.indexOf('git revert <promotion-commit>'));
  });
});

describe('S6: the drill takes only this project\'s staging pods off the node', () => {
  it('the drain selector matches the staging pods and none of production\'s (kubectl kustomize)', () => {
    const files = record(makeSpec({ practices: ['ci', 'gitops', 'incident'] }));
    const drill = steps(files, '.github/workflows/incident-drill.yml')[1]!.env!['DRILL_BODY']!;
    const selector = /kubectl drain <node> --pod-selector '([^']+)' --ignore-daemonsets --delete-emptydir-data/.exec(drill)?.[1];
    expect(selector).toBeDefined();
    expect(drill).toContain('a plain `kubectl drain` would evict production pods too');
    const wanted = Object.fromEntries(selector!.split(',').map((kv) => kv.split('=') as [string, string]));
    const matches = (labels: Record<string, string>) => Object.entries(wanted).every(([k, v]) => labels[k] === v);
    const dir = writeRecord(files);
    const podLabels = (env: string) => {
      const built = kustomizeBuild(`${dir}/deploy/api/overlays/${env}`);
      expect(built.stderr).toBe('');
      expect(built.ok).toBe(true);
      const workload = parseObjects(built.stdout).find((o) => o['kind'] === 'Deployment')!;
      return workload['spec'].template.metadata.labels as Record<string, string>;
    };
    try {
      expect(matches(podLabels('staging'))).toBe(true);
      expect(matches(podLabels('production'))).toBe(false);
      expect(matches({ ...podLabels('production'), 'app.kubernetes.io/environment': 'staging' })).toBe(true); // the check can fail
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('N1: the incident form\'s example alert is a real one', () => {
  it('a page alert of this repository, or a neutral hint without monitoring', () => {
    const files = record(githubSpec());
    const form = parse(files['.github/ISSUE_TEMPLATE/incident.yml']!) as { body: { id?: string; attributes: { placeholder?: string } }[] };
    const placeholder = form.body.find((b) => b.id === 'alert')!.attributes.placeholder!;
    const alert = /^e\.g\. (\S+)$/.exec(placeholder)?.[1];
    const rules = Object.entries(files).filter(([p]) => /^monitoring\/kubernetes\/.+-prometheusrule\.yaml$/.test(p)).map(([, t]) => t).join('\n');
    expect(alert).toBeDefined();
    expect(rules).toContain(`alert: ${alert}`);
    const none = parse(record(makeSpec({ practices: ['ci', 'incident'] }))['.github/ISSUE_TEMPLATE/incident.yml']!) as typeof form;
    expect(none.body.find((b) => b.id === 'alert')!.attributes.placeholder).toBe('the alertname of the page or message');
  });
});
