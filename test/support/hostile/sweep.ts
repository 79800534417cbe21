import { type Answer, checkAnswer, SweepClient } from './client.ts';
import type { Fixtures } from './fixtures.ts';
import { generator, type HostileRequest } from './generate.ts';
import type { ServedRoute } from './routes.ts';
import { Rng } from './values.ts';

export interface SweepOptions {
  host: string;
  port: number;
  key: string;
  routes: ServedRoute[];
  fixtures: Fixtures;
  seed: number;
  requests: number;
  /** Requests in flight at once, each on a keep-alive connection of the pool. */
  concurrency: number;
  /**
   * Cases known to fail that another change fixes: each matcher names one; a failure it matches
   * is counted apart instead of failing the sweep.
   */
  knownOpen?: readonly KnownOpen[];
}

export interface KnownOpen {
  name: string;
  matches(request: HostileRequest, answer: Answer): boolean;
}

export interface Failure {
  family: string;
  request: string;
  problem: string;
}

export interface SweepResult {
  sent: number;
  byStatus: Map<number, number>;
  byFamily: Map<string, number>;
  failures: Failure[];
  /** Failures matched by a `knownOpen` entry, by its name. */
  known: Map<string, number>;
  seconds: number;
}

const describe = (r: HostileRequest) =>
  `${r.method} ${r.url.length > 160 ? `${r.url.slice(0, 160)}… (${r.url.length} chars)` : r.url}` +
  (r.body
    ? ` body(${r.headers['content-type'] ?? 'no type'}, ${r.body.length} B): ${r.body.subarray(0, 80).toString('latin1')}`
    : '') +
  (Object.keys(r.headers).length ? ` headers ${JSON.stringify(r.headers).slice(0, 200)}` : '');

/** Sends `requests` hostile requests from the seed and checks every answer. */
export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const rng = new Rng(options.seed);
  const requests = generator(rng, options.routes, options.fixtures, options.key);
  const client = new SweepClient(options.host, options.port, options.concurrency);
  const result: SweepResult = {
    sent: 0,
    byStatus: new Map(),
    byFamily: new Map(),
    failures: [],
    known: new Map(),
    seconds: 0,
  };
  const started = performance.now();
  // Requests are drawn in order, so the sequence does not depend on how answers interleave.
  const queue: HostileRequest[] = Array.from({ length: options.requests }, () => requests.next());
  let index = 0;
  const worker = async () => {
    while (index < queue.length) {
      const request = queue[index++]!;
      let answer: Answer;
      try {
        answer = await client.send(request);
      } catch (error) {
        answer = { status: 0, headers: {}, body: String(error) };
      }
      result.sent++;
      result.byStatus.set(answer.status, (result.byStatus.get(answer.status) ?? 0) + 1);
      result.byFamily.set(request.family, (result.byFamily.get(request.family) ?? 0) + 1);
      const problem = checkAnswer(request, answer);
      if (!problem) continue;
      const known = options.knownOpen?.find((k) => k.matches(request, answer));
      if (known) result.known.set(known.name, (result.known.get(known.name) ?? 0) + 1);
      else
        result.failures.push({
          family: request.family,
          request: describe(request),
          problem: `${problem} — ${answer.body.slice(0, 300)}`,
        });
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    client.close();
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** A short account of failures: the first few of each family and problem. */
export function summarize(failures: Failure[], perKind = 3): string {
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const kind = `${f.family}: ${f.problem
      .split(' — ')[0]!
      .replace(/[a-z]+_[A-Za-z0-9]{10,}/g, '<id>')
      .slice(0, 100)}`;
    groups.set(kind, [...(groups.get(kind) ?? []), f]);
  }
  return [...groups]
    .map(
      ([kind, list]) =>
        `${list.length} × ${kind}\n${list
          .slice(0, perKind)
          .map((f) => `    ${f.request}\n      → ${f.problem}`)
          .join('\n')}`,
    )
    .join('\n');
}
