// Invoice PDF rendering: time per document after warm-up, PDF sizes, and memory as faces load.
// Not a test: results go into docs/benchmarks.md. Wall time counts whatever else the machine runs;
// CPU time (this process's, user and system, garbage collection included) is what a render costs.
//
//   node --import tsx bench/invoice-pdf.ts                 the typical five-line invoice, then every sample
//   node --import tsx bench/invoice-pdf.ts --runs 500 --warmup 50
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { InvoicePdfView } from '../src/billing/invoices/pdf/index.ts';
import { renderInvoicePdf } from '../src/billing/invoices/pdf/index.ts';
import {
  englishInvoice,
  germanInvoice,
  greekInvoice,
  japaneseInvoice,
  longInvoice,
  russianInvoice,
  thaiInvoice,
  traditionalChineseInvoice,
} from '../test/support/invoice-pdf-samples.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
  },
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const rss = () => mb(process.memoryUsage().rss);
const peakRss = () => mb(process.resourceUsage().maxRSS * 1024);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(name: string, view: InvoicePdfView, count: number, warm: number) {
  const first = performance.now();
  const pdf = await renderInvoicePdf(view);
  const firstMs = performance.now() - first;
  for (let i = 1; i < warm; i++) await renderInvoicePdf(view);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    await renderInvoicePdf(view);
    const used = process.cpuUsage(startCpu);
    times.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(
    [
      name.padEnd(8),
      `first ${firstMs.toFixed(0).padStart(5)} ms`,
      `median ${percentile(times, 50).toFixed(1).padStart(5)} ms`,
      `p95 ${percentile(times, 95).toFixed(1).padStart(5)} ms`,
      `cpu median ${percentile(cpu, 50).toFixed(1).padStart(5)} ms`,
      `p95 ${percentile(cpu, 95).toFixed(1).padStart(5)} ms`,
      `${(pdf.length / 1024).toFixed(1).padStart(5)} KiB`,
      `rss ${rss()} MB`,
    ].join('  '),
  );
}

console.log(
  `node ${process.version}, ${runs} runs after ${warmup} warm-up renders, load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}; rss before any render ${rss()} MB`,
);
await measure('en 5-line', englishInvoice(), runs, warmup);
console.log(`peak rss after the Latin invoice: ${peakRss()} MB`);
const samples: [string, InvoicePdfView][] = [
  ['en-GB 60', longInvoice()],
  ['ru', russianInvoice()],
  ['el', greekInvoice()],
  ['th', thaiInvoice()],
  ['de+ja', germanInvoice()],
  ['ja', japaneseInvoice()],
  ['zh-TW', traditionalChineseInvoice()],
];
for (const [name, view] of samples) await measure(name, view, Math.ceil(runs / 4), Math.ceil(warmup / 2));
console.log(`peak rss with every face loaded: ${peakRss()} MB`);
