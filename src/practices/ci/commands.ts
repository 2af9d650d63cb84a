import { UsageError } from '../../errors.js';
import type { Service } from '../../spec/types.js';

/**
 * Service commands are free text that CI writes literally into `run:` blocks (that is
 * what users expect to see). GitHub evaluates `${{ … }}` in a `run:` before the shell
 * starts, so a command containing it could splice untrusted event data (issue titles,
 * branch names) into the script: script injection. We refuse it instead of escaping.
 */
export function assertSafeCommands(svc: Service): void {
  for (const [key, command] of Object.entries(svc.commands)) {
    if (typeof command === 'string' && command.includes('${{')) {
      throw new UsageError(
        `services.${svc.name}.commands.${key} contains "\${{", which GitHub Actions would evaluate as an expression inside the run: script (script injection).`,
        'Remove the expression from the command. To use a workflow value, read it from an environment variable the workflow sets, e.g. "$GITHUB_SHA".',
      );
    }
  }
}
