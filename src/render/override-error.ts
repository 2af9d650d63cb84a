import { SpecError } from '../errors.js';
import { OVERRIDES_DIR } from '../lock/inputs.js';

/**
 * A team's template override (`.devops-init/templates/<output path>`) failed to compile,
 * render or parse: the team's file is at fault, not devops-init. Reported against the
 * override with the line and column Handlebars or the YAML parser gives (exit 2).
 */
export function overrideError(outputPath: string, e: unknown): SpecError {
  const file = `${OVERRIDES_DIR}/${outputPath}`;
  const raw = (e as Error)?.message ?? String(e);
  let line = 1;
  let col = 1;
  const parse = /Parse error on line (\d+)/.exec(raw);
  const strict = / - (\d+):(\d+)\s*$/m.exec(raw);
  const yaml = /at line (\d+), column (\d+)/.exec(raw);
  if (parse) line = Number(parse[1]);
  else if (strict) [line, col] = [Number(strict[1]), Number(strict[2]) + 1];
  else if (yaml) [line, col] = [Number(yaml[1]), Number(yaml[2])];
  const first = raw.split('\n')[0]!.replace(/^Template \S+ (failed to render|rendered invalid \w+ for) \S+: /, '');
  const what = parse ? `template syntax error: ${raw.split('\n').slice(-1)[0]}` : yaml || /rendered invalid/.test(raw) ? `renders invalid ${/\.json$/.test(outputPath) ? 'JSON' : 'YAML'}: ${first.replace(/ at line \d+, column \d+.*$/, '')}` : first.replace(/ in \[object Object\] - \d+:\d+$/, ' (a variable the template data does not have)');
  return new SpecError([{ file, line, col, message: what, fix: `fix your override of ${outputPath}, or delete it to use the shipped template` }]);
}
