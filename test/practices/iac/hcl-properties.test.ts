import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { fullSpec, gitlabSpec, minimalSpec } from './cases.js';
import { renderUnder } from './render.js';

/**
 * Properties of the generated HCL, read through @cdktf/hcl2json (HashiCorp's HCL parser):
 * - no security group rule lets 0.0.0.0/0 (or ::/0) in, and no database is publicly accessible;
 * - no IAM policy has a wildcard action, or a `*` resource, unless a comment in the policy
 *   says `iam-wildcard-justified: <why>` right above it;
 * - every trust policy of a federated (OIDC) role matches `sub` exactly (StringEquals) to
 *   `repo:<this repository>:…`, with the STS audience, and every github-oidc module call
 *   passes this repository; on GitLab CI, every trust binds `sub` to
 *   `project_path:<this project>:…`, exactly, except the one any-branch pattern, which only the
 *   module's validation admits, and every gitlab-oidc call passes this project and instance.
 * Each property is shown failing on HCL broken on purpose.
 */

type Obj = Record<string, any>;
type Files = Record<string, string>;

/** Every block of a type across the files: [file, type, name, body]. */
async function parsed(files: Files): Promise<{ file: string; json: Obj }[]> {
  return Promise.all(Object.entries(files).filter(([p]) => p.endsWith('.tf')).map(async ([file, text]) => ({ file, json: (await parse(file, text)) as Obj })));
}

function resources(docs: { file: string; json: Obj }[], type: string): { file: string; name: string; body: Obj }[] {
  return docs.flatMap(({ file, json }) => Object.entries((json['resource']?.[type] ?? {}) as Obj).flatMap(([name, bodies]) => (bodies as Obj[]).map((body) => ({ file, name, body }))));
}

const OPEN = ['0.0.0.0/0', '::/0'];

/** Violations of "nothing is open to the internet": ingress rules and public databases. */
export async function ingressViolations(files: Files): Promise<string[]> {
  const docs = await parsed(files);
  const out: string[] = [];
  const open = (v: unknown) => OPEN.some((c) => JSON.stringify(v ?? '').includes(c));
  for (const r of resources(docs, 'aws_security_group')) {
    for (const rule of (r.body['ingress'] ?? []) as Obj[]) if (open(rule['cidr_blocks']) || open(rule['ipv6_cidr_blocks'])) out.push(`${r.file}: aws_security_group.${r.name} ingress from the internet`);
  }
  for (const r of resources(docs, 'aws_security_group_rule')) {
    if (r.body['type'] === 'ingress' && (open(r.body['cidr_blocks']) || open(r.body['ipv6_cidr_blocks']))) out.push(`${r.file}: aws_security_group_rule.${r.name} ingress from the internet`);
  }
  for (const r of resources(docs, 'aws_vpc_security_group_ingress_rule')) {
    if (open(r.body['cidr_ipv4']) || open(r.body['cidr_ipv6'])) out.push(`${r.file}: aws_vpc_security_group_ingress_rule.${r.name} from the internet`);
  }
  for (const r of resources(docs, 'aws_db_instance')) {
    if (r.body['publicly_accessible'] !== false) out.push(`${r.file}: aws_db_instance.${r.name} publicly_accessible is ${JSON.stringify(r.body['publicly_accessible'])}, not false`);
  }
  return out;
}

/** Every string value in the parsed HCL that holds a policy document (jsonencode with a Statement). */
function policyExpressions(docs: { file: string; json: Obj }[]): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (file: string, v: unknown) => {
    if (typeof v === 'string') {
      if (v.includes('jsonencode(') && /\bStatement\b/.test(v)) out.push({ file, text: v });
    } else if (Array.isArray(v)) v.forEach((x) => walk(file, x));
    else if (v && typeof v === 'object') Object.values(v).forEach((x) => walk(file, x));
  };
  for (const { file, json } of docs) walk(file, json);
  return out;
}

const JUSTIFIED = /iam-wildcard-justified:\s*\S/;

/** Violations of "no wildcard action or `*` resource without a justification comment above it". */
export async function wildcardViolations(files: Files): Promise<string[]> {
  const out: string[] = [];
  for (const { file, text } of policyExpressions(await parsed(files))) {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      // `Action = "x"`, `Action = ["x", "y"]`, or an expression (a local holding a list of literals).
      for (const m of line.matchAll(/\b(Action|Resource)\s*=\s*(\[[^\]]*\]|"[^"]*")/g)) {
        const literals = [...m[2]!.matchAll(/"([^"]*)"/g)].map((x) => x[1]!);
        const wild = m[1] === 'Action' ? literals.filter((l) => l.includes('*')) : literals.filter((l) => l === '*');
        if (wild.length === 0) continue;
        const above = lines.slice(Math.max(0, i - 2), i + 1).join('\n');
        if (!JUSTIFIED.test(above)) out.push(`${file}: ${m[1]} ${wild.join(', ')} without an iam-wildcard-justified comment`);
      }
    });
  }
  return out;
}

/** Violations of "every OIDC trust is bound to this repository, exactly". */
export async function oidcViolations(files: Files, repository: string): Promise<string[]> {
  const docs = await parsed(files);
  const out: string[] = [];
  for (const r of resources(docs, 'aws_iam_role')) {
    const trust = String(r.body['assume_role_policy'] ?? '');
    if (!trust.includes('Federated')) continue;
    const where = `${r.file}: aws_iam_role.${r.name}`;
    if (/StringLike|ForAnyValue/.test(trust)) out.push(`${where} trust uses a pattern match`);
    if (!/"\$\{local\.issuer\}:sub"\s*=\s*\[for s in [^\]]*: "repo:\$\{var\.repository\}:\$\{s\}"\]/.test(trust)) out.push(`${where} does not bind sub to repo:\${var.repository}:<subject>`);
    if (!/"\$\{local\.issuer\}:aud"\s*=\s*"sts\.amazonaws\.com"/.test(trust)) out.push(`${where} does not require the STS audience`);
    const locals = docs.filter((d) => d.file === r.file).flatMap((d) => (d.json['locals'] ?? []) as Obj[]);
    if (!locals.some((l) => l['issuer'] === 'token.actions.githubusercontent.com')) out.push(`${where}: local.issuer is not GitHub's issuer`);
  }
  for (const { file, json } of docs) {
    for (const [name, calls] of Object.entries((json['module'] ?? {}) as Obj)) {
      for (const call of calls as Obj[]) {
        if (!String(call['source']).endsWith('/github-oidc')) continue;
        if (call['repository'] !== repository) out.push(`${file}: module.${name} passes repository ${JSON.stringify(call['repository'])}, not ${repository}`);
      }
    }
  }
  return out;
}

/** The only sub pattern the gitlab-oidc module may write: any branch, of this project only. */
const GITLAB_ANY_BRANCH = 'ref_type:branch:ref:*';

/** Violations of "every GitLab OIDC trust is bound to this project (and instance)". */
export async function gitlabOidcViolations(files: Files, project: string, gitlabUrl: string): Promise<string[]> {
  const docs = await parsed(files);
  const out: string[] = [];
  for (const r of resources(docs, 'aws_iam_role')) {
    const trust = String(r.body['assume_role_policy'] ?? '');
    if (!trust.includes('Federated')) continue;
    const where = `${r.file}: aws_iam_role.${r.name}`;
    if (/ForAnyValue|ForAllValues/.test(trust)) out.push(`${where} trust uses a set operator`);
    const subs = [...trust.matchAll(/"\$\{local\.issuer\}:sub"\s*=\s*(\[[^\]]*\])/g)].map((m) => m[1]!);
    if (subs.length === 0) out.push(`${where} has no sub condition`);
    for (const sub of subs) {
      if (!/^\[(for s in [^:]+: )?"project_path:\$\{var\.project_path\}:\$\{(s|local\.any_branch)\}"\]$/.test(sub)) out.push(`${where} binds sub to ${sub}, not project_path:\${var.project_path}:<subject>`);
    }
    // A pattern match only for the any-branch subject, written from the local that holds it.
    for (const like of trust.split('\n').filter((l) => l.includes('StringLike') && !l.trim().startsWith('#'))) {
      if (!like.includes('StringLike = { "${local.issuer}:sub" = ["project_path:${var.project_path}:${local.any_branch}"] }')) out.push(`${where} pattern-matches something other than any branch of the project`);
    }
    if (!/"\$\{local\.issuer\}:aud"\s*=\s*var\.audience/.test(trust)) out.push(`${where} does not require the audience`);
    const locals = docs.filter((d) => d.file === r.file).flatMap((d) => (d.json['locals'] ?? []) as Obj[]);
    if (!locals.some((l) => l['any_branch'] === GITLAB_ANY_BRANCH)) out.push(`${where}: local.any_branch is not ${GITLAB_ANY_BRANCH}`);
    const variables = files[r.file.replace(/main\.tf$/, 'variables.tf')] ?? '';
    if (!variables.includes('can(regex("^ref_type:(branch|tag):ref:[A-Za-z0-9._/-]+$", s)) || (s == "ref_type:branch:ref:*" && length(r.subjects) == 1)')) out.push(`${where}: the roles variable does not confine subjects to exact refs or the lone any-branch pattern`);
  }
  for (const { file, json } of docs) {
    for (const [name, calls] of Object.entries((json['module'] ?? {}) as Obj)) {
      for (const call of calls as Obj[]) {
        const source = String(call['source']);
        if (source.endsWith('/github-oidc')) out.push(`${file}: module.${name} trusts GitHub in a GitLab project`);
        if (!source.endsWith('/gitlab-oidc')) continue;
        if (call['project_path'] !== project) out.push(`${file}: module.${name} passes project_path ${JSON.stringify(call['project_path'])}, not ${project}`);
        if (call['gitlab_url'] !== gitlabUrl) out.push(`${file}: module.${name} passes gitlab_url ${JSON.stringify(call['gitlab_url'])}, not ${gitlabUrl}`);
        if (call['audience'] !== 'sts.amazonaws.com') out.push(`${file}: module.${name} passes audience ${JSON.stringify(call['audience'])}`);
        // Subjects are literals (in the roles object or inside its merge() expression).
        for (const [subject] of JSON.stringify(call['roles'] ?? '').matchAll(/ref_type:[^"\\\]]*/g)) {
          if (subject.includes('*') && subject !== GITLAB_ANY_BRANCH) out.push(`${file}: module.${name} passes the subject ${subject}`);
        }
      }
    }
  }
  return out;
}

describe('generated HCL properties (parsed with @cdktf/hcl2json)', () => {
  const files = renderUnder(fullSpec(), 'infra/');
  const minimal = renderUnder(minimalSpec(), 'infra/');

  it('parses every .tf file and finds the resources the properties are about', async () => {
    const docs = await parsed(files);
    expect(resources(docs, 'aws_vpc_security_group_ingress_rule').length).toBeGreaterThan(0);
    expect(resources(docs, 'aws_db_instance').length).toBe(1);
    expect(policyExpressions(docs).length).toBeGreaterThan(8);
    expect(resources(docs, 'aws_iam_role').filter((r) => String(r.body['assume_role_policy']).includes('Federated'))).toHaveLength(1);
  });

  it('no security group rule lets the internet in, and no database is public', async () => {
    expect(await ingressViolations(files)).toEqual([]);
    expect(await ingressViolations(minimal)).toEqual([]);
  });

  it('no IAM wildcard action or * resource without a justification', async () => {
    expect(await wildcardViolations(files)).toEqual([]);
    expect(await wildcardViolations(minimal)).toEqual([]);
  });

  it('the justified wildcards are the known ones (ECR login of the release and the preview push policies, the denies on the Terraform roles and on plain HTTP, the project-scoped IAM)', async () => {
    const all = Object.values(files).join('\n');
    expect(all.match(/iam-wildcard-justified:/g)).toHaveLength(5);
    expect(all.match(/iam-wildcard-justified: ecr:GetAuthorizationToken/g)).toHaveLength(2);
  });

  it('every OIDC trust binds sub to this repository exactly, and every caller passes this repository', async () => {
    expect(await oidcViolations(files, 'acme/shop')).toEqual([]);
    expect(await oidcViolations(minimal, 'acme/shop')).toEqual([]);
  });

  describe('on GitLab CI', () => {
    const gitlab = renderUnder(gitlabSpec(), 'infra/');
    const oidc = 'infra/modules/gitlab-oidc/main.tf';

    it('the federated roles are the gitlab-oidc module\'s; nothing trusts GitHub', async () => {
      const docs = await parsed(gitlab);
      expect(resources(docs, 'aws_iam_role').filter((r) => String(r.body['assume_role_policy']).includes('Federated')).map((r) => r.file)).toEqual([oidc]);
      expect(Object.keys(gitlab).filter((p) => p.includes('github'))).toEqual([]);
      expect(Object.values(gitlab).join('\n')).not.toContain('token.actions.githubusercontent.com');
    });

    it('every OIDC trust binds sub to this project; every caller passes this project, instance and audience', async () => {
      expect(await gitlabOidcViolations(gitlab, 'acme/platform/shop', 'https://gitlab.acme.io')).toEqual([]);
      expect(await ingressViolations(gitlab)).toEqual([]);
      expect(await wildcardViolations(gitlab)).toEqual([]);
    });

    it('fails on a trust bound to any project, a pattern beyond the ref, and callers passing another project or subject', async () => {
      const bootstrap = 'infra/bootstrap/main.tf';
      const root = 'infra/envs/production/main.tf';
      const broken = {
        ...gitlab,
        [oidc]: gitlab[oidc]!.replace('"project_path:${var.project_path}:${s}"', '"project_path:*:${s}"').replace('StringLike = { "${local.issuer}:sub" = ["project_path:${var.project_path}:${local.any_branch}"] }', 'StringLike = { "${local.issuer}:sub" = ["project_path:*"] }'),
        [bootstrap]: gitlab[bootstrap]!.replace('project_path    = "acme/platform/shop"', 'project_path    = "evil/shop"'),
        [root]: gitlab[root]!.replace('subjects    = ["ref_type:branch:ref:main"]', 'subjects    = ["ref_type:branch:ref:release-*"]'),
      };
      expect(await gitlabOidcViolations(broken, 'acme/platform/shop', 'https://gitlab.acme.io')).toEqual([
        `${oidc}: aws_iam_role.this binds sub to [for s in each.value.subjects : "project_path:*:\${s}"], not project_path:\${var.project_path}:<subject>`,
        `${oidc}: aws_iam_role.this binds sub to ["project_path:*"], not project_path:\${var.project_path}:<subject>`,
        `${oidc}: aws_iam_role.this pattern-matches something other than any branch of the project`,
        `${bootstrap}: module.ci_identities passes project_path "evil/shop", not acme/platform/shop`,
        `${root}: module.ci_identities passes the subject ref_type:branch:ref:release-*`,
      ]);
    });
  });

  describe('each property fails on broken HCL', () => {
    const main = 'infra/modules/rds/main.tf';

    it('an ingress rule from 0.0.0.0/0 and a public database', async () => {
      const broken = {
        ...files,
        [main]: files[main]!.replace('referenced_security_group_id = each.value', 'cidr_ipv4 = "0.0.0.0/0"').replace('publicly_accessible    = false', 'publicly_accessible    = true'),
        'infra/modules/extra.tf': 'resource "aws_security_group" "x" {\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
      };
      expect(await ingressViolations(broken)).toEqual([
        'infra/modules/extra.tf: aws_security_group.x ingress from the internet',
        `${main}: aws_vpc_security_group_ingress_rule.postgres from the internet`,
        `${main}: aws_db_instance.this publicly_accessible is true, not false`,
      ]);
    });

    it('a wildcard action, and a * resource whose justification was removed', async () => {
      const root = 'infra/envs/production/main.tf';
      const broken = {
        ...files,
        [main]: files[main]!.replace('Action   = "kms:Decrypt"', 'Action   = "kms:*"'),
        [root]: files[root]!.replace(/# iam-wildcard-justified:.*\n/, ''),
      };
      expect((await wildcardViolations(broken)).sort()).toEqual([`${main}: Action kms:* without an iam-wildcard-justified comment`, `${root}: Resource * without an iam-wildcard-justified comment`].sort());
    });

    it('a trust policy with a pattern-matched or foreign sub, and a caller passing another repository', async () => {
      const oidc = 'infra/modules/github-oidc/main.tf';
      const broken = {
        ...files,
        [oidc]: files[oidc]!.replace('StringEquals = {', 'StringLike = {').replace('"repo:${var.repository}:${s}"', '"repo:*:${s}"'),
        'infra/bootstrap/main.tf': files['infra/bootstrap/main.tf']!.replace('repository      = "acme/shop"', 'repository      = "evil/shop"'),
      };
      expect(await oidcViolations(broken, 'acme/shop')).toEqual([
        `${oidc}: aws_iam_role.this trust uses a pattern match`,
        `${oidc}: aws_iam_role.this does not bind sub to repo:\${var.repository}:<subject>`,
        'infra/bootstrap/main.tf: module.ci_identities passes repository "evil/shop", not acme/shop',
      ]);
    });
  });
});
