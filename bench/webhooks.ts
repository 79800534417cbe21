// Webhook delivery: events made at a steady rate (customers.create, each emitting
// customer.created) for a while, delivered to a local receiver; the lag from the API's answer to
// the event's arrival (p50, p99, max), the delivery throughput, anything missing, and RSS.
import { createServer } from 'node:http';
import { headers, machine, startPortico } from './support.ts';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export async function webhookBench(options: { store?: string; duration: number; rate: number }) {
  const arrivals = new Map<string, number>();
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        data: { object: { id: string } };
      };
      if (!arrivals.has(event.data.object.id)) arrivals.set(event.data.object.id, performance.now());
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(4297, '127.0.0.1', resolve));
  const portico = await startPortico(4296, options.store);
  try {
    await fetch(`${portico.base}/v1/webhook_endpoints`, {
      method: 'POST',
      headers,
      body: 'url=http%3A%2F%2F127.0.0.1%3A4297%2Fhook&enabled_events[]=customer.created',
    });
    const answered = new Map<string, number>();
    let failed = 0;
    const started = performance.now();
    const tickMs = 10;
    const perTick = Math.max(1, Math.round((options.rate * tickMs) / 1000));
    const inFlight: Promise<void>[] = [];
    // A steady rate, not a closed loop: requests go out on schedule whatever the server's pace.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (performance.now() - started >= options.duration * 1000) {
          clearInterval(timer);
          resolve();
          return;
        }
        for (let i = 0; i < perTick; i++) {
          inFlight.push(
            fetch(`${portico.base}/v1/customers`, {
              method: 'POST',
              headers,
              body: 'email=hook%40example.com',
            })
              .then(async (r) => {
                const body = (await r.json()) as { id?: string };
                if (body.id) answered.set(body.id, performance.now());
                else failed++;
              })
              .catch(() => {
                failed++;
              }),
          );
        }
      }, tickMs);
    });
    await Promise.all(inFlight);
    const generated = performance.now();
    for (let i = 0; i < 150 && [...answered.keys()].some((id) => !arrivals.has(id)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const lags = [...answered].filter(([id]) => arrivals.has(id)).map(([id, at]) => arrivals.get(id)! - at);
    lags.sort((a, b) => a - b);
    const missing = answered.size - lags.length;
    const lastArrival = Math.max(...arrivals.values());
    console.log(`\n## Webhook delivery\nmachine: ${machine()}`);
    console.log(`store: ${portico.store}; target ${options.rate} events/s for ${options.duration} s\n`);
    console.log(
      '| events made | made/s | delivered/s | lag p50 ms | lag p99 ms | lag max ms | missing | API errors |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
    const made = answered.size / ((generated - started) / 1000);
    const delivered = lags.length / ((lastArrival - started) / 1000);
    console.log(
      `| ${answered.size} | ${made.toFixed(0)} | ${delivered.toFixed(0)} | ${percentile(lags, 50).toFixed(0)} | ${percentile(lags, 99).toFixed(0)} | ${(lags[lags.length - 1] ?? Number.NaN).toFixed(0)} | ${missing} | ${failed} |`,
    );
    console.log(`\nPortico RSS: peak ${portico.peakRss().toFixed(0)} MB`);
  } finally {
    receiver.closeAllConnections();
    receiver.close();
    await portico.stop();
  }
}
