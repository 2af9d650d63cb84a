import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { fullSpec, minimalSpec } from './cases.js';
import { renderUnder } from './render.js';

/**
 * Properties of the generated HCL, read through @cdktf/hcl2json (HashiCorp's HCL parser):
 * - no security group rule lets 0.0.0.0/0 (or ::/0) in, and no database is publicly accessible;
 * - no IAM policy has a wildcard action, or a `*` resource, unless a comment in the policy
 *   says `iam-wildcard-justified: <why>` right above it;
 * - every trust policy of a federated (OIDC) role matches `sub` exactly (StringEquals) to
 *   `repo:<this repository>:…`, with the STS audience, and every github-oidc module call
 *   passes this repository.
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

  it('the justified wildcards are the known ones (ECR login, the denies on the Terraform roles and on plain HTTP, the project-scoped IAM)', async () => {
    const all = Object.values(files).join('\n');
    expect(all.match(/iam-wildcard-justified:/g)).toHaveLength(4);
  });

  it('every OIDC trust binds sub to this repository exactly, and every caller passes this repository', async () => {
    expect(await oidcViolations(files, 'acme/shop')).toEqual([]);
    expect(await oidcViolations(minimal, 'acme/shop')).toEqual([]);
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
