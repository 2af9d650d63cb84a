import { CancelledError } from '../errors.js';
import type { Choice } from '../practices/types.js';

/**
 * The only module that talks to the prompt library (lazy-loaded, so commands that never
 * ask don't pay for it). Ctrl-C becomes CancelledError: one line, exit 130.
 */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const name = (e as Error)?.name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') throw new CancelledError();
    throw e;
  }
}

export async function promptSelect(message: string, choices: Choice[], def: string): Promise<string> {
  const { select } = await import('@inquirer/prompts');
  return guard(() => select({ message, choices, default: def }));
}

export async function promptInput(message: string, def: string, validate?: (v: string) => string | undefined): Promise<string> {
  const { input } = await import('@inquirer/prompts');
  return guard(() => input({ message, default: def, validate: (v: string) => validate?.(v) ?? true }));
}

export async function promptConfirm(message: string, def: boolean): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  return guard(() => confirm({ message, default: def }));
}

export async function promptCheckbox(message: string, choices: (Choice & { checked: boolean })[]): Promise<string[]> {
  const { checkbox } = await import('@inquirer/prompts');
  return guard(() => checkbox({ message, choices }));
}
