// API throughput: autocannon against Portico and, in the same run, a bare node:http server
// answering a fixed JSON body; requests/s, p99, the ratio to the bare server, server CPU per
// request, and Portico's idle and peak RSS.
import autocannon from 'autocannon';
import { cpuMicros, headers, machine, rssMb, start, startPortico, waitFor } from './support.ts';

interface Figures {
  name: string;
  rps: number;
  p99: number;
  errors: number;
  /** Server CPU per request: steadier than req/s when other work shares the machine. */
  cpuPerRequest: number;
}

export async function apiBench(options: { store?: string; duration: number; connections: number }) {
  const { duration, connections } = options;
  const load = async (name: string, pid: number, target: autocannon.Options): Promise<Figures> => {
    // A short warm-up so the JIT and the database caches settle before the measured run.
    await autocannon({ ...target, duration: 2, connections });
    const before = cpuMicros(pid);
    const result = await autocannon({ ...target, duration, connections });
    const cpu = cpuMicros(pid) - before;
    return {
      name,
      rps: result.requests.average,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx,
      cpuPerRequest: cpu / Math.max(1, result.requests.total),
    };
  };

  const BARE_PORT = 4299;
  const bare = start(['--import', 'tsx', 'bench/bare-server.ts'], { PORT: String(BARE_PORT) });
  const portico = await startPortico(4298, options.store);
  try {
    await waitFor(`http://127.0.0.1:${BARE_PORT}/`);
    const base = portico.base;
    const created = await fetch(`${base}/v1/customers`, {
      method: 'POST',
      headers,
      body: 'email=jenny%40example.com&name=Jenny+Rosen',
    });
    const customer = (await created.json()) as { id: string };
    await new Promise((r) => setTimeout(r, 1000));
    const idle = rssMb(portico.pid);

    const baseline = await load('bare node:http', bare.pid!, { url: `http://127.0.0.1:${BARE_PORT}/` });
    const retrieve = await load('customers.retrieve', portico.pid, {
      url: `${base}/v1/customers/${customer.id}`,
      headers,
    });
    const create = await load('customers.create', portico.pid, {
      url: `${base}/v1/customers`,
      method: 'POST',
      headers: { ...headers, 'idempotency-key': 'bench-[<id>]' },
      body: 'email=jenny%40example.com&name=Jenny+Rosen&metadata[plan]=pro',
      idReplacement: true,
    });
    const list = await load('customers.list (limit 10)', portico.pid, {
      url: `${base}/v1/customers?limit=10`,
      headers,
    });

    console.log(`\n## API\nmachine: ${machine()}`);
    console.log(`store: ${portico.store}; ${connections} connections, ${duration} s per run\n`);
    console.log('| endpoint | req/s | p99 ms | ratio to bare | server CPU µs/req | errors |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const f of [baseline, retrieve, create, list]) {
      const ratio = (f.rps / baseline.rps).toFixed(2);
      console.log(
        `| ${f.name} | ${Math.round(f.rps)} | ${f.p99} | ${ratio} | ${f.cpuPerRequest.toFixed(1)} | ${f.errors} |`,
      );
    }
    console.log(
      `\nPortico RSS: idle ${idle.toFixed(0)} MB, peak under load ${portico.peakRss().toFixed(0)} MB`,
    );
  } finally {
    bare.kill('SIGTERM');
    await portico.stop();
  }
}
