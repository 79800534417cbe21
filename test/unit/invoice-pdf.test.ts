import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { paperSizeFor, renderInvoicePdf } from '../../src/billing/invoices/pdf/index.ts';
import type { InvoicePdfView } from '../../src/billing/invoices/pdf/view.ts';
import {
  englishInvoice,
  germanInvoice,
  greekInvoice,
  japaneseInvoice,
  longInvoice,
  russianInvoice,
  thaiInvoice,
  traditionalChineseInvoice,
} from '../support/invoice-pdf-samples.ts';

// poppler-utils reads the PDFs back: the text as a reader's viewer would extract it (in content
// order, -raw, so that Thai marks stay in their words), and the fonts embedded.
function poppler(tool: 'pdftotext' | 'pdffonts', pdf: Buffer, args: string[]): string {
  const result = spawnSync(tool, [...args, '-', ...(tool === 'pdftotext' ? ['-'] : [])], { input: pdf });
  if (result.error) throw result.error;
  assert.equal(result.status, 0, result.stderr.toString());
  return result.stdout.toString('utf8');
}

const text = (pdf: Buffer) => poppler('pdftotext', pdf, ['-raw', '-enc', 'UTF-8']);
const fonts = (pdf: Buffer) => poppler('pdffonts', pdf, []);

/** What the invoice must show in its own script: its number, the customer, the total, its page count. */
async function assertReadable(view: InvoicePdfView, pageLabel: string): Promise<string> {
  const pdf = await renderInvoicePdf(view);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  const extracted = text(pdf);
  for (const expected of [view.number, view.customer.name, view.total, view.amountDue, pageLabel]) {
    assert.ok(extracted.includes(expected), `${view.locale}: "${expected}" not in:\n${extracted}`);
  }
  return extracted;
}

describe('invoice PDFs', () => {
  test('bytes depend on the view alone, not on what the process rendered before', async () => {
    const first = await renderInvoicePdf(germanInvoice());
    for (const view of [thaiInvoice(), japaneseInvoice(), traditionalChineseInvoice(), englishInvoice()]) {
      await renderInvoicePdf(view);
    }
    const again = await renderInvoicePdf(germanInvoice());
    assert.ok(first.equals(again), 'the same invoice rendered to different bytes');
    assert.ok(first.includes(Buffer.from('(D:20260302000000Z)')), 'dated when the invoice was finalized');
  });

  test('English (US Letter), with a logo, three parties, discounts, taxes and a pay link', async () => {
    const view = englishInvoice();
    const pdf = await renderInvoicePdf(view);
    assert.ok(pdf.includes(Buffer.from('/MediaBox [0 0 612 792]')), 'Letter');
    assert.ok(pdf.includes(Buffer.from(`/URI (${view.hostedInvoiceUrl})`)), 'the pay link');
    const extracted = await assertReadable(view, 'Page 1 of 1');
    for (const expected of ['Invoice', 'Bill to', 'Ship to', 'Amount remaining', '$111.10', 'Sales tax']) {
      assert.ok(extracted.includes(expected), expected);
    }
    // The long description wraps onto a second line instead of running under the amounts.
    assert.match(
      extracted,
      /Priority support with a dedicated account manager, a four-hour response time\s*\S/,
    );
    assert.doesNotMatch(fonts(pdf), /NotoSans(JP|KR|SC|TC|Thai)/);
  });

  test('German (A4), paid, with a Japanese customer name set in the Japanese face', async () => {
    const view = germanInvoice();
    const pdf = await renderInvoicePdf(view);
    assert.ok(pdf.includes(Buffer.from('/MediaBox [0 0 595.28 841.89]')), 'A4');
    const extracted = await assertReadable(view, 'Seite 1 von 1');
    assert.ok(extracted.includes('BEZAHLT'), 'the paid stamp');
    assert.ok(extracted.includes('Geschäftsführerin: Grüße Müßig'));
    const embedded = fonts(pdf);
    assert.match(embedded, /NotoSansJP-Regular/);
    assert.doesNotMatch(embedded, /NotoSans(KR|SC|TC|Thai)/);
  });

  test('Japanese', async () => {
    const extracted = await assertReadable(japaneseInvoice(), '1 / 1 ページ');
    assert.ok(extracted.includes('請求書'));
    assert.ok(extracted.includes('消費税'));
  });

  test('Traditional Chinese, paid', async () => {
    const view = traditionalChineseInvoice();
    const pdf = await renderInvoicePdf(view);
    assert.match(fonts(pdf), /NotoSansTC/);
    assert.doesNotMatch(fonts(pdf), /NotoSans(JP|KR|SC)-/);
    const extracted = await assertReadable(view, '第 1 頁，共 1 頁');
    assert.ok(extracted.includes('已付款'), 'the paid stamp');
  });

  test('Thai', async () => {
    const extracted = await assertReadable(thaiInvoice(), 'หน้า 1 จาก 1');
    assert.ok(extracted.includes('เรียกเก็บเงินจาก'));
    assert.ok(extracted.includes('10 มิถุนายน 2569'));
  });

  test('Russian, void', async () => {
    const extracted = await assertReadable(russianInvoice(), 'Страница 1 из 1');
    assert.ok(extracted.includes('АННУЛИРОВАН'), 'the void stamp');
  });

  test('Greek', async () => {
    await assertReadable(greekInvoice(), 'Σελίδα 1 από 1');
  });

  test('sixty lines run over pages, each with the table header, the totals after the last line', async () => {
    const view = longInvoice();
    const extracted = await assertReadable(view, 'Page 2 of ');
    const pages = extracted.split('\f').filter((page) => page.trim() !== '');
    assert.ok(pages.length >= 3, `${pages.length} pages`);
    pages.forEach((page, i) => {
      assert.ok(page.includes(`Page ${i + 1} of ${pages.length}`), `page ${i + 1} is numbered`);
      assert.ok(page.includes(view.number), `page ${i + 1} names the invoice`);
    });
    for (const page of pages.slice(1, -1)) assert.ok(page.includes('Unit price'), 'the table header repeats');
    for (let i = 1; i <= 60; i++) assert.ok(extracted.includes(`Seat ${i} — `), `line ${i}`);
    const last = pages.at(-1)!;
    assert.ok(last.includes('Seat 60') || last.includes('Subtotal'));
    // The totals are kept together on one page.
    const totalsPage = pages.find((page) => page.includes('Subtotal'))!;
    for (const label of ['Subtotal', 'VAT (20% on £1,500.00)', 'Total', 'Amount due']) {
      assert.ok(totalsPage.includes(label), label);
    }
  });

  test('Letter for US and Canadian locales, A4 elsewhere', () => {
    const table: [string, 'A4' | 'LETTER'][] = [
      ['en', 'LETTER'],
      ['en-US', 'LETTER'],
      ['en-CA', 'LETTER'],
      ['fr-CA', 'LETTER'],
      ['en-GB', 'A4'],
      ['en-AU', 'A4'],
      ['es-419', 'A4'],
      ['fr', 'A4'],
      ['zh-TW', 'A4'],
      ['ja', 'A4'],
    ];
    for (const [locale, size] of table) assert.equal(paperSizeFor(locale), size, locale);
  });
});
