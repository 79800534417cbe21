// The hosted portal: a customer with 5 subscriptions and 50 invoices. Its homepage beside a static
// file of the same server (the portal's style sheet), the page's weight, and, when the invoice
// pages are there, the invoice PDF. Figures for docs/benchmarks.md, never for tests.
import autocannon from 'autocannon';
import { cpuMicros, headers, machine, rssMb, startPortico } from './support.ts';

async function post<T = { id: string }>(base: string, path: string, body: Record<string, string | number>) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])).toString(),
  });
  const json = (await response.json()) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(`POST ${path}: ${json.error?.message}`);
  return json;
}

/** A customer with `subscriptions` monthly subscriptions and `invoices` paid one-off invoices. */
async function seed(base: string, subscriptions: number, invoices: number) {
  const customer = await post(base, '/v1/customers', { name: 'Jenny Rosen', email: 'jenny@example.com' });
  const card = await post(base, '/v1/payment_methods/pm_card_visa/attach', { customer: customer.id });
  await post(base, `/v1/customers/${customer.id}`, { 'invoice_settings[default_payment_method]': card.id });
  for (let i = 0; i < subscriptions; i++) {
    const price = await post(base, '/v1/prices', {
      currency: 'usd',
      unit_amount: 1000 + i * 500,
      'recurring[interval]': i % 2 ? 'year' : 'month',
      'product_data[name]': `Plan ${i + 1}`,
    });
    await post(base, '/v1/subscriptions', { customer: customer.id, 'items[0][price]': price.id });
  }
  const made: { hosted_invoice_url: string; invoice_pdf: string }[] = [];
  for (let i = made.length; i < invoices - subscriptions; i++) {
    await post(base, '/v1/invoiceitems', {
      customer: customer.id,
      amount: 1200 + i,
      currency: 'usd',
      description: `Item ${i}`,
    });
    const invoice = await post(base, '/v1/invoices', {
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    made.push(await post(base, `/v1/invoices/${invoice.id}/pay`, {}));
  }
  await post(base, '/v1/billing_portal/configurations', {
    'features[invoice_history][enabled]': 'true',
    'features[payment_method_update][enabled]': 'true',
    'features[customer_update][enabled]': 'true',
    'features[customer_update][allowed_updates][0]': 'email',
  });
  const session = await post<{ url: string }>(base, '/v1/billing_portal/sessions', { customer: customer.id });
  const entry = await fetch(`${base}${new URL(session.url).pathname}`, { redirect: 'manual' });
  return {
    home: `${base}${entry.headers.get('location')}`,
    cookie: entry.headers.get('set-cookie')!.split(';')[0]!,
    pdf: made[0] ? `${base}${new URL(made[0].invoice_pdf).pathname}` : undefined,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Sequential requests, one at a time: the server's own time per page, plus a loopback round trip. */
async function serial(url: string, init: RequestInit, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const response = await fetch(url, init);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    times.push(performance.now() - t);
  }
  return times;
}

export async function portalBench(options: { store?: string; duration: number; connections: number }) {
  const portico = await startPortico(4297, options.store);
  try {
    const { home, cookie, pdf } = await seed(portico.base, 5, 50);
    const init = { headers: { cookie } };
    const html = await (await fetch(home, init)).text();
    const css = await (
      await fetch(`${portico.base}${/href="(\/p\/assets\/portal\.css[^"]*)"/.exec(html)![1]}`)
    ).text();
    const js = await (
      await fetch(`${portico.base}${/src="(\/p\/assets\/portal\.js[^"]*)"/.exec(html)![1]}`)
    ).text();
    await serial(home, init, 50);
    const homeTimes = await serial(home, init, 300);
    const load = async (url: string, extra: Partial<autocannon.Options> = {}) => {
      await autocannon({ url, duration: 2, connections: options.connections, ...extra });
      const before = cpuMicros(portico.pid);
      const r = await autocannon({
        url,
        duration: options.duration,
        connections: options.connections,
        ...extra,
      });
      return {
        rps: r.requests.average,
        p99: r.latency.p99,
        errors: r.errors + r.non2xx,
        cpu: (cpuMicros(portico.pid) - before) / r.requests.total,
      };
    };
    const staticRun = await load(`${portico.base}/p/assets/portal.css`);
    const homeRun = await load(home, { headers: { cookie } });
    console.log(`\n## Portal\nmachine: ${machine()}`);
    console.log(`store: ${portico.store}; a customer with 5 subscriptions and 50 invoices\n`);
    console.log(
      `homepage, one request at a time: p50 ${median(homeTimes).toFixed(2)} ms (client-measured, loopback included)`,
    );
    console.log(
      `homepage weight: HTML ${(html.length / 1024).toFixed(1)} KB + CSS ${(css.length / 1024).toFixed(1)} KB + JS ${(js.length / 1024).toFixed(1)} KB = ${((html.length + css.length + js.length) / 1024).toFixed(1)} KB`,
    );
    console.log(
      `\n| page (${options.connections} connections, ${options.duration} s) | req/s | p99 ms | ratio to static | server CPU µs/req | errors |`,
    );
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const [name, f] of [
      ['static style sheet', staticRun],
      ['homepage', homeRun],
    ] as const) {
      console.log(
        `| ${name} | ${Math.round(f.rps)} | ${f.p99} | ${(f.rps / staticRun.rps).toFixed(2)} | ${f.cpu.toFixed(0)} | ${f.errors} |`,
      );
    }
    if (pdf) {
      const probe = await fetch(pdf);
      if (probe.ok && probe.headers.get('content-type')?.includes('pdf')) {
        await serial(pdf, {}, 10);
        const pdfTimes = await serial(pdf, {}, 50);
        console.log(`\ninvoice PDF, one at a time: p50 ${median(pdfTimes).toFixed(1)} ms (client-measured)`);
      }
    }
    console.log(
      `\nPortico RSS: now ${rssMb(portico.pid).toFixed(0)} MB, peak ${portico.peakRss().toFixed(0)} MB`,
    );
  } finally {
    await portico.stop();
  }
}
