import { promptInput, promptSelect } from '../ask/prompt.js';
import type { RepoFacts } from '../detect/types.js';
import { SERVICE_KINDS, type ServiceKind } from '../spec/types.js';
import type { ServiceFlags } from './spec-from-facts.js';

const PORT = (v: string) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'a port number between 1 and 65535');
const HTTP_PATH = (v: string) => (v === '' || /^\/[A-Za-z0-9._~/-]*$/.test(v) ? undefined : 'a path starting with / (or empty for a TCP probe)');

/**
 * Interactive init asks about what detection had to guess, and only that: each guessed port,
 * kind and probe, with the guess as the default and what it rests on. Answers land in the same
 * per-service maps the flags fill (a flag given on the command line is never asked again).
 */
export async function askGuesses(facts: RepoFacts, flags: ServiceFlags): Promise<void> {
  for (const g of facts.guesses) {
    if (g.service === '(project)') continue;
    const why = g.because ? ` (guessed: ${g.because})` : ' (guessed)';
    if (g.fact === 'kind' && !flags.kinds.has(g.service)) {
      const kind = await promptSelect(
        `${g.service}: what kind of service is it?${why}`,
        SERVICE_KINDS.map((k) => ({ value: k, name: k })),
        g.value,
      );
      flags.kinds.set(g.service, kind as ServiceKind);
    } else if (g.fact === 'port' && !flags.ports.has(g.service)) {
      flags.ports.set(g.service, Number(await promptInput(`${g.service}: port it listens on${why}`, g.value, PORT)));
    } else if ((g.fact === 'probes' || g.fact === 'liveness') && !flags.health.has(g.service)) {
      const current = /"path":"([^"]*)"/.exec(g.value)?.[1] ?? '';
      const path = await promptInput(`${g.service}: HTTP health path, empty for a TCP probe${why}`, current, HTTP_PATH);
      if (path) flags.health.set(g.service, path);
      else flags.tcp.add(g.service);
    }
  }
}
