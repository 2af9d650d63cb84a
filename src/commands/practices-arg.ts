import { UsageError } from '../errors.js';
import { PRACTICES } from '../practices/index.js';
import { requiredBy } from '../spec/semantic.js';
import { PRACTICE_IDS, type PracticeId } from '../spec/types.js';

/** Parse "ci,gitops" (or a list of words) into known, available practice ids. */
export function parsePractices(value: string | string[], source: string): PracticeId[] {
  const ids = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new UsageError(`${source}: name at least one practice.`, `Available: ${PRACTICES.map((p) => p.id).join(', ')}.`);
  for (const id of ids) {
    if (!PRACTICE_IDS.includes(id as PracticeId)) {
      throw new UsageError(`${source}: unknown practice "${id}".`, `Available: ${PRACTICES.map((p) => p.id).join(', ')}.`);
    }
    if (!PRACTICES.some((p) => p.id === id)) {
      throw new UsageError(`${source}: the ${id} practice is planned but not part of this version yet.`, `Available: ${PRACTICES.map((p) => p.id).join(', ')}.`);
    }
  }
  return [...new Set(ids)] as PracticeId[];
}

/** Add the practices that the chosen ones need (deploy needs gitops, which needs ci), in registry order. */
export function withRequired(ids: PracticeId[]): PracticeId[] {
  const set = new Set(ids);
  for (const id of ids) for (const dep of requiredBy(id)) set.add(dep);
  return PRACTICES.map((p) => p.id).filter((id) => set.has(id));
}
