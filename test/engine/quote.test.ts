import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hclString, shellWord, yamlScalar } from '../../src/render/quote.js';

const HOSTILE = [
  'plain',
  "it's",
  'double "quoted"',
  'line\nbreak',
  '${{ github.event.issue.title }}',
  '$(rm -rf /)',
  '`id`',
  '#comment',
  ': colon',
  '- dash',
  '*alias',
  '&anchor',
  '!tag',
  'yes',
  'null',
  '0x10',
  '%{ for x in y }',
  '${var.x}',
  '\\backslash',
  'tab\there',
  'unicode ✓ \u2028',
];

describe('quoting helpers keep hostile values as data', () => {
  it.each(HOSTILE)('YAML round-trips %j', (v) => {
    expect(parse(`k: ${yamlScalar(v)}`)).toEqual({ k: v });
  });

  it.each(HOSTILE)('shell round-trips %j', (v) => {
    const out = execFileSync('bash', ['-c', `printf %s ${shellWord(v)}`], { encoding: 'utf8' });
    expect(out).toBe(v);
  });

  it('HCL escapes interpolation and directives', () => {
    expect(hclString('${var.x}')).toBe('"$${var.x}"');
    expect(hclString('%{ if x }')).toBe('"%%{ if x }"');
    expect(hclString('a"b\n')).toBe('"a\\"b\\n"');
  });
});
