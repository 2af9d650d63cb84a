/** Ports only from sources that say so plainly: Dockerfile EXPOSE, Spring server.port, PORT in .env.example. */
import { at, joinRel, type RepoFs } from './fsread.js';
import { springPort } from './java.js';

function validPort(n: number): number | undefined {
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

/** The first numeric EXPOSE of the final build stage (earlier stages do not run). */
export function dockerfileExpose(text: string): number | undefined {
  const stages = text.split(/^\s*FROM\s/im);
  for (let i = stages.length - 1; i >= 0; i--) {
    const m = /^\s*EXPOSE\s+(\d+)(?:\/(?:tcp|udp))?\b/im.exec(stages[i]!);
    if (m) return validPort(Number(m[1]));
  }
  return undefined;
}

/** PORT=3000 / export PORT="3000" in an env example file. */
export function envPort(text: string): number | undefined {
  const m = /^\s*(?:export\s+)?PORT\s*=\s*["']?(\d+)["']?\s*(?:#.*)?$/m.exec(text);
  return m ? validPort(Number(m[1])) : undefined;
}

const ENV_EXAMPLES = ['.env.example', '.env.sample', '.env.template'];

/** The service's port with the reason, Dockerfile first (it is what actually ships). */
export function findPort(
  fs: RepoFs,
  dir: string,
  dockerfile: string | undefined,
  notes: string[],
): { port: number; reason: string } | undefined {
  const found: { port: number; reason: string }[] = [];
  if (dockerfile) {
    const p = dockerfileExpose(fs.read(dockerfile) ?? '');
    if (p) found.push({ port: p, reason: `${dockerfile} EXPOSE ${p} → port ${p}` });
  }
  const spring = springPort(fs, dir);
  if (spring) found.push({ port: spring.port, reason: `${spring.source}=${spring.port} → port ${spring.port}` });
  for (const f of ENV_EXAMPLES) {
    const text = fs.read(joinRel(dir, f), 64 * 1024);
    const p = text === undefined ? undefined : envPort(text);
    if (p) {
      found.push({ port: p, reason: `${joinRel(dir, f)} PORT=${p} → port ${p}` });
      break;
    }
  }
  const first = found[0];
  if (first && found.some((f) => f.port !== first.port)) {
    notes.push(`${at(dir)}sources disagree on the port (${found.map((f) => f.port).join(' vs ')}); using ${first.port}`);
  }
  return first;
}
