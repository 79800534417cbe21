// What both benchmarks share: a Portico process on a fresh store, its memory and CPU, clean-up.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

export const KEY = 'sk_test_benchBenchBenchBenchBench0000';

export function start(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** CPU time (user + system) a process has used, in microseconds; 10 ms resolution. */
export function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

export function machine(): string {
  return `${cpus().length} x ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

export interface Portico {
  base: string;
  pid: number;
  store: string;
  /** Highest RSS seen so far, in MB. */
  peakRss(): number;
  stop(): Promise<void>;
}

/**
 * Builds and starts `dist/main.js` (what `npm start` runs) on a fresh store: a temp SQLite file,
 * or, given a PostgreSQL URL, a schema of its own that is dropped when it stops.
 */
export async function startPortico(
  port: number,
  given: string | undefined,
  env: Record<string, string> = {},
) {
  const schema = `portico_bench_${process.pid}_${port}`;
  let store = `sqlite:${join(mkdtempSync(join(tmpdir(), 'portico-bench-')), 'bench.db')}`;
  if (given?.startsWith('postgres')) {
    const url = new URL(given);
    url.searchParams.set('schema', schema);
    store = url.toString();
  } else if (given) store = given;
  execFileSync(process.execPath, ['scripts/build.mjs']);
  const child = start(
    [
      ...(process.env.PORTICO_BENCH_PROFILE
        ? ['--cpu-prof', '--cpu-prof-dir', process.env.PORTICO_BENCH_PROFILE]
        : []),
      // The heap limit `npm start` sets (package.json).
      '--max-old-space-size=192',
      'dist/main.js',
    ],
    {
      PORT: String(port),
      PORTICO_HOST: '127.0.0.1',
      PORTICO_DATABASE_URL: store,
      PORTICO_SECRET_KEY: KEY,
      ...env,
    },
  );
  let peak = 0;
  const sampler = setInterval(() => {
    if (child.pid) peak = Math.max(peak, rssMb(child.pid));
  }, 100);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/healthz`);
  const portico: Portico = {
    base,
    pid: child.pid!,
    store: store.replace(/\/\/[^@]*@/, '//'),
    peakRss: () => peak,
    async stop() {
      clearInterval(sampler);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      if (given?.startsWith('postgres')) {
        const pg = (await import('pg')).default;
        const client = new pg.Client({ connectionString: given });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      }
    },
  };
  return portico;
}

export const headers = {
  authorization: `Bearer ${KEY}`,
  'content-type': 'application/x-www-form-urlencoded',
};
