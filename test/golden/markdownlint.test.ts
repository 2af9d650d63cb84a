import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/spec/load.js';
import { computeRepoTree } from '../../src/tree/repo.js';
import { MARKDOWNLINT_ISSUE_BODY_CONFIG, markdownlintRecord } from '../validators/markdownlint.js';

/**
 * markdownlint-cli2 (test/validators/.markdownlint-cli2.jsonc) over every markdown file every
 * golden case generates: runbooks, incident docs, the repo handbook, READMEs, issue templates.
 * One run for all cases (files written under <case>/ in one temp dir) to start the tool once.
 */
/** Markdown that GitLab/GitHub show as an issue body under the issue's title. */
const isIssueBody = (p: string): boolean => p.startsWith('.gitlab/issue_templates/') || p.startsWith('.github/ISSUE_TEMPLATE/') || p === '.gitlab/incident/drill.md';
const DIR = fileURLToPath(new URL('.', import.meta.url));
const CASES = readdirSync(DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe('markdownlint-cli2 on every generated markdown file of every golden case', () => {
  it('finds no problems', () => {
    const docs: Record<string, string> = {};
    const bodies: Record<string, string> = {};
    for (const name of CASES) {
      const tree = computeRepoTree(parseSpec(readFileSync(join(DIR, name, 'devops.yaml'), 'utf8')).spec);
      for (const p of tree.paths()) {
        if (!p.endsWith('.md')) continue;
        (isIssueBody(p) ? bodies : docs)[`${name}/${p}`] = tree.get(p)!.content;
      }
    }
    expect(Object.keys(docs).length).toBeGreaterThan(CASES.length);
    expect(Object.keys(bodies).length).toBeGreaterThan(0);
    expect(markdownlintRecord(docs)).toEqual([]);
    expect(markdownlintRecord(bodies, MARKDOWNLINT_ISSUE_BODY_CONFIG)).toEqual([]);
  }, 120_000);
});
