// `npm run bench`: autocannon against a started Portico and, in the same run, against a bare
// node:http server answering a fixed JSON body; prints requests/s, p99 and the ratio to the
// baseline, plus Portico's idle and peak RSS. Not a test: figures go into docs/benchmarks.md.
//
//   npm run bench                                   SQLite file in a temp dir
//   npm run bench -- --store postgres://postgres@127.0.0.1:5432/test?schema=bench
//   npm run bench -- --duration 20 --connections 50
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    store: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
// A PostgreSQL run works in a schema of its own, dropped at the end; SQLite in a temp file.
const benchSchema = `portico_bench_${process.pid}`;
function storeUrl(given: string | undefined): string {
  if (!given) return `sqlite:${join(mkdtempSync(join(tmpdir(), 'portico-bench-')), 'bench.db')}`;
  if (!given.startsWith('postgres')) return given;
  const url = new URL(given);
  url.searchParams.set('schema', benchSchema);
  return url.toString();
}
const store = storeUrl(values.store);
const KEY = 'sk_test_benchBenchBenchBenchBench0000';
const PORTICO_PORT = 4298;
const BARE_PORT = 4299;

function start(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** CPU time (user + system) a process has used, in microseconds; 10 ms resolution. */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

interface Figures {
  name: string;
  rps: number;
  p99: number;
  errors: number;
  /** Server CPU per request: steadier than req/s when other work shares the machine. */
  cpuPerRequest: number;
}

async function load(name: string, pid: number, options: autocannon.Options): Promise<Figures> {
  // A short warm-up so the JIT and the database caches settle before the measured run.
  await autocannon({ ...options, duration: 2, connections });
  const before = cpuMicros(pid);
  const result = await autocannon({ ...options, duration, connections });
  const cpu = cpuMicros(pid) - before;
  const errors = result.errors + result.timeouts + result.non2xx;
  return {
    name,
    rps: result.requests.average,
    p99: result.latency.p99,
    errors,
    cpuPerRequest: cpu / Math.max(1, result.requests.total),
  };
}

const bare = start(['--import', 'tsx', 'bench/bare-server.ts'], { PORT: String(BARE_PORT) });
execFileSync(process.execPath, ['scripts/build.mjs']);
const portico = start(['dist/main.js'], {
  PORT: String(PORTICO_PORT),
  PORTICO_HOST: '127.0.0.1',
  PORTICO_DATABASE_URL: store,
  PORTICO_SECRET_KEY: KEY,
});
let peak = 0;
const sampler = setInterval(() => {
  if (portico.pid) peak = Math.max(peak, rssMb(portico.pid));
}, 100);

try {
  await waitFor(`http://127.0.0.1:${BARE_PORT}/`);
  await waitFor(`http://127.0.0.1:${PORTICO_PORT}/healthz`);
  const base = `http://127.0.0.1:${PORTICO_PORT}`;
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/x-www-form-urlencoded' };
  const created = await fetch(`${base}/v1/customers`, {
    method: 'POST',
    headers,
    body: 'email=jenny%40example.com&name=Jenny+Rosen',
  });
  const customer = (await created.json()) as { id: string };
  await new Promise((r) => setTimeout(r, 1000));
  const idle = rssMb(portico.pid!);

  const pid = portico.pid!;
  const baseline = await load('bare node:http', bare.pid!, { url: `http://127.0.0.1:${BARE_PORT}/` });
  const retrieve = await load('customers.retrieve', pid, {
    url: `${base}/v1/customers/${customer.id}`,
    headers,
  });
  const create = await load('customers.create', pid, {
    url: `${base}/v1/customers`,
    method: 'POST',
    headers: { ...headers, 'idempotency-key': 'bench-[<id>]' },
    body: 'email=jenny%40example.com&name=Jenny+Rosen&metadata[plan]=pro',
    idReplacement: true,
  });
  const list = await load('customers.list (limit 10)', pid, {
    url: `${base}/v1/customers?limit=10`,
    headers,
  });

  console.log(
    `\nmachine: ${cpus().length} x ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  );
  console.log(
    `store: ${store.replace(/\/\/[^@]*@/, '//')}; ${connections} connections, ${duration} s per run\n`,
  );
  console.log('| endpoint | req/s | p99 ms | ratio to bare | server CPU µs/req | errors |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const f of [baseline, retrieve, create, list]) {
    const ratio = (f.rps / baseline.rps).toFixed(2);
    console.log(
      `| ${f.name} | ${Math.round(f.rps)} | ${f.p99} | ${ratio} | ${f.cpuPerRequest.toFixed(1)} | ${f.errors} |`,
    );
  }
  console.log(`\nPortico RSS: idle ${idle.toFixed(0)} MB, peak under load ${peak.toFixed(0)} MB`);
} finally {
  clearInterval(sampler);
  bare.kill('SIGTERM');
  portico.kill('SIGTERM');
  if (values.store?.startsWith('postgres')) {
    await new Promise((r) => portico.once('exit', r));
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: values.store });
    await client.connect();
    await client.query(`drop schema if exists ${benchSchema} cascade`);
    await client.end();
  }
}
