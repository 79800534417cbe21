// Renders an invoice view as a PDF: a first page with the parties and the amount due, the lines as
// a table continued over as many pages as it takes (each with the invoice's number and the
// table's header), the totals kept together, and "Page N of M" on every page.
import { FontBook } from './fonts.ts';
import { type TextStyle, Typesetter } from './text.ts';
import type { InvoicePdfLine, InvoicePdfView } from './view.ts';

const PAPER = { A4: [595.28, 841.89], LETTER: [612, 792] } as const;

const INK = '#1f2328';
const MUTED = '#59636e';
const RULE = '#d1d9e0';
const LIGHT_RULE = '#e8ecf0';
const LINK = '#0a58ca';
const STAMP: Record<string, string> = { paid: '#1a7f37', void: '#b42318', uncollectible: '#9a6700' };

const TITLE: TextStyle = { size: 20, weight: 'bold', color: INK };
const BODY: TextStyle = { size: 9, color: INK };
const BOLD: TextStyle = { size: 9, weight: 'bold', color: INK };
const SMALL: TextStyle = { size: 8, color: MUTED };
const HEADLINE: TextStyle = { size: 13, weight: 'bold', color: INK };
const DUE: TextStyle = { size: 10, weight: 'bold', color: INK };
const RUNNING: TextStyle = { size: 10, weight: 'bold', color: INK };
const STAMP_TEXT: TextStyle = { size: 15, weight: 'bold' };
const STAMP_TEXT_WIDTH = 150;

const MARGIN = 50;
const TOP = 42;
const FOOTER_SPACE = 50;
const COLUMN_GAP = 14;
const ROW_PADDING = 5;

/** Letter for the US and Canada (and "en", which is US English), A4 elsewhere. */
export function paperSizeFor(locale: string): 'A4' | 'LETTER' {
  const [language = '', ...rest] = locale.split(/[-_]/);
  const region = rest.find((part) => /^[a-z]{2}$/i.test(part))?.toUpperCase();
  if (region === 'US' || region === 'CA') return 'LETTER';
  if (region === undefined && language.toLowerCase() === 'en') return 'LETTER';
  return 'A4';
}

// pdfkit is loaded with the first invoice, not with the server.
const loadPdfkit = () => import('pdfkit');
let pdfkit: ReturnType<typeof loadPdfkit> | undefined;

/** Renders the invoice as PDF bytes: the same view always gives the same bytes. */
export async function renderInvoicePdf(view: InvoicePdfView): Promise<Buffer> {
  const strings = viewStrings(view);
  const book = new FontBook(view.locale);
  pdfkit ??= loadPdfkit();
  const [{ default: PDFDocument }] = await Promise.all([pdfkit, book.prepare(strings)]);
  const paper = view.paperSize ?? paperSizeFor(view.locale);
  const doc = new PDFDocument({
    size: [...PAPER[paper]],
    margin: 0,
    bufferPages: true,
    compress: true,
    lang: view.locale,
    displayTitle: true,
    info: {
      Title: `${view.labels.invoice} ${view.number}`,
      Author: view.business.name,
      Creator: 'Portico',
      Producer: 'Portico',
      CreationDate: view.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const leading = strings.some((s) => /[\u0e00-\u0e7f]/.test(s))
    ? 1.6
    : /^(ja|ko|zh)\b/i.test(view.locale)
      ? 1.5
      : 1.4;
  new Layout(doc, new Typesetter(doc, book, view.locale, leading), view).render();
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** Every string the document may draw, so the faces they need are loaded before drawing. */
function viewStrings(view: InvoicePdfView): string[] {
  const { labels, business, customer } = view;
  const strings: (string | undefined)[] = [
    ...Object.values(labels),
    ...stampText(view),
    view.number,
    ...Object.values(view.dates),
    ...partyLines(business),
    ...partyLines(customer),
    ...(customer.shippingLines ?? []),
    view.headline,
    view.memo,
    ...view.lines.flatMap((line) => [
      line.description,
      line.period,
      line.quantity,
      line.unitPrice,
      line.amount,
    ]),
    view.subtotal,
    ...(view.discounts ?? []).flatMap((row) => [row.label, row.amount]),
    ...(view.taxes ?? []).flatMap((row) => [row.label, row.amount]),
    view.total,
    view.amountPaid,
    view.amountRemaining,
    view.amountDue,
    view.footer,
    '0123456789',
  ];
  return strings.filter((s): s is string => typeof s === 'string' && s !== '');
}

function partyLines(party: InvoicePdfView['business'] | InvoicePdfView['customer']): string[] {
  return [
    party.name,
    ...(party.addressLines ?? []),
    party.phone,
    party.email,
    ...(party.taxIds ?? []),
  ].filter((s): s is string => typeof s === 'string' && s.trim() !== '');
}

function stampText(view: InvoicePdfView): string[] {
  const text =
    view.status === 'paid'
      ? view.labels.paid
      : view.status === 'void'
        ? view.labels.void
        : view.status === 'uncollectible'
          ? view.labels.uncollectible
          : undefined;
  if (!text) return [];
  try {
    return [text.toLocaleUpperCase(view.locale)];
  } catch {
    return [text.toUpperCase()];
  }
}

interface Columns {
  description: number;
  quantity: number;
  unitPrice: number;
  amount: number;
  /** Right edges of the three numeric columns. */
  quantityRight: number;
  unitPriceRight: number;
  amountRight: number;
}

class Layout {
  private readonly width: number;
  private readonly height: number;
  private readonly left = MARGIN;
  private readonly right: number;
  private readonly bottom: number;
  private y = TOP;
  private columns!: Columns;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly ts: Typesetter,
    private readonly view: InvoicePdfView,
  ) {
    this.width = doc.page.width;
    this.height = doc.page.height;
    this.right = this.width - MARGIN;
    this.bottom = this.height - FOOTER_SPACE;
  }

  private get contentWidth(): number {
    return this.right - this.left;
  }

  render(): void {
    this.firstPageHeader();
    this.columns = this.measureColumns();
    this.table();
    this.totals();
    this.footerText();
    this.pageFooters();
  }

  // ── First page ────────────────────────────────────────────────────────────────────────────────

  private firstPageHeader(): void {
    const { view, ts } = this;
    const titleHeight = ts.block(view.labels.invoice, this.left, this.y, this.contentWidth * 0.6, TITLE);
    let logoHeight = 0;
    if (view.business.logo !== undefined && view.business.logo.length > 0) {
      const logoWidth = 160;
      logoHeight = 48;
      this.doc.image(Buffer.from(view.business.logo), this.right - logoWidth, this.y, {
        fit: [logoWidth, logoHeight],
        align: 'right',
      });
    }
    this.y += Math.max(titleHeight, logoHeight) + 12;

    const details: [string, string][] = [[view.labels.invoiceNumber, view.number]];
    details.push([view.labels.dateOfIssue, view.dates.issued]);
    if (view.dates.due) details.push([view.labels.dateDue, view.dates.due]);
    if (view.dates.paid && view.labels.datePaid) details.push([view.labels.datePaid, view.dates.paid]);
    const detailsWidth = this.contentWidth * 0.62;
    const labelWidth = Math.min(
      Math.max(...details.map(([label]) => ts.width(label, BOLD))) + 16,
      detailsWidth * 0.5,
    );
    const detailsTop = this.y;
    for (const [label, value] of details) {
      const labelHeight = ts.block(label, this.left, this.y, labelWidth - 10, BOLD);
      const valueHeight = ts.block(value, this.left + labelWidth, this.y, detailsWidth - labelWidth, BODY);
      this.y += Math.max(labelHeight, valueHeight);
    }
    this.stamp(this.right - 90, (detailsTop + this.y) / 2);
    this.y += 20;

    this.parties();
    this.y += 20;

    if (view.headline) {
      this.y += ts.block(view.headline, this.left, this.y, this.contentWidth, HEADLINE) + 2;
    }
    if (view.hostedInvoiceUrl && view.labels.payOnline && view.status === 'open') {
      const style: TextStyle = { ...BODY, color: LINK };
      const w = ts.draw(view.labels.payOnline, this.left, this.y, style);
      const h = ts.lineHeight(style);
      const underline = ts.baseline(this.y, style) + 1.5;
      this.doc
        .moveTo(this.left, underline)
        .lineTo(this.left + w, underline)
        .lineWidth(0.5)
        .strokeColor(LINK)
        .stroke();
      this.doc.link(this.left, this.y, w, h, view.hostedInvoiceUrl);
      this.y += h;
    }
    if (view.memo) {
      this.y += 8;
      this.y += ts.block(view.memo, this.left, this.y, this.contentWidth, BODY);
    }
    this.y += 18;
  }

  /** The seller, the customer, and where the goods go, side by side. */
  private parties(): void {
    const { view, ts } = this;
    const gap = 18;
    const columnWidth = (this.contentWidth - 2 * gap) / 3;
    const columns: { heading: string; lines: string[] }[] = [
      { heading: view.business.name, lines: partyLines(view.business).slice(1) },
      { heading: view.labels.billTo, lines: partyLines(view.customer) },
    ];
    const shipping = (view.customer.shippingLines ?? []).filter((line) => line.trim() !== '');
    if (shipping.length > 0 && view.labels.shipTo) {
      columns.push({ heading: view.labels.shipTo, lines: shipping });
    }
    let height = 0;
    columns.forEach((column, i) => {
      const x = this.left + i * (columnWidth + gap);
      let y = this.y + ts.block(column.heading, x, this.y, columnWidth, BOLD);
      for (const line of column.lines) y += ts.block(line, x, y, columnWidth, BODY);
      height = Math.max(height, y - this.y);
    });
    this.y += height;
  }

  private stamp(centerX: number, centerY: number): void {
    const [text] = stampText(this.view);
    if (text === undefined) return;
    const color = STAMP[this.view.status] ?? MUTED;
    let style: TextStyle = { ...STAMP_TEXT, color };
    // A long word is set smaller rather than reaching over the invoice's details.
    const fullWidth = this.ts.width(text, style);
    if (fullWidth > STAMP_TEXT_WIDTH) {
      style = { ...style, size: Math.max(8, (style.size * STAMP_TEXT_WIDTH) / fullWidth) };
    }
    const textWidth = this.ts.width(text, style);
    const boxWidth = textWidth + 24;
    const boxHeight = this.ts.lineHeight(style) + 4;
    const { doc } = this;
    doc.save();
    doc.rotate(-8, { origin: [centerX, centerY] });
    doc
      .roundedRect(centerX - boxWidth / 2, centerY - boxHeight / 2, boxWidth, boxHeight, 4)
      .lineWidth(2)
      .strokeColor(color)
      .stroke();
    this.ts.draw(text, centerX - textWidth / 2, centerY - this.ts.lineHeight(style) / 2, style);
    doc.restore();
  }

  // ── Lines ─────────────────────────────────────────────────────────────────────────────────────

  /** Numeric columns as wide as their widest entry; the description takes the rest. */
  private measureColumns(): Columns {
    const { view, ts } = this;
    const widest = (header: string, values: (string | undefined)[], min: number) => {
      const valueWidth = Math.max(0, ...values.map((v) => (v ? ts.width(v, BODY) : 0)));
      // A long header wraps rather than widening the column past 90 pt.
      return Math.max(min, valueWidth, Math.min(ts.width(header, SMALL), Math.max(valueWidth, 90)));
    };
    const quantity = widest(
      view.labels.quantity,
      view.lines.map((l) => l.quantity),
      24,
    );
    const unitPrice = widest(
      view.labels.unitPrice,
      view.lines.map((l) => l.unitPrice),
      50,
    );
    const amount = widest(
      view.labels.amount,
      view.lines.map((l) => l.amount),
      56,
    );
    const description = this.contentWidth - quantity - unitPrice - amount - 3 * COLUMN_GAP;
    const amountRight = this.right;
    const unitPriceRight = amountRight - amount - COLUMN_GAP;
    const quantityRight = unitPriceRight - unitPrice - COLUMN_GAP;
    return { description, quantity, unitPrice, amount, quantityRight, unitPriceRight, amountRight };
  }

  private tableHeader(): void {
    const { view, ts, columns } = this;
    const top = this.y;
    const heights = [
      ts.block(view.labels.description, this.left, top, columns.description, SMALL),
      ts.block(
        view.labels.quantity,
        columns.quantityRight - columns.quantity,
        top,
        columns.quantity,
        SMALL,
        'right',
      ),
      ts.block(
        view.labels.unitPrice,
        columns.unitPriceRight - columns.unitPrice,
        top,
        columns.unitPrice,
        SMALL,
        'right',
      ),
      ts.block(view.labels.amount, columns.amountRight - columns.amount, top, columns.amount, SMALL, 'right'),
    ];
    this.y += Math.max(...heights) + 4;
    this.rule(this.y, RULE, 0.8);
  }

  private table(): void {
    this.tableHeader();
    for (const line of this.view.lines) this.row(line);
  }

  private row(line: InvoicePdfLine): void {
    const { ts, columns } = this;
    const bodyHeight = ts.lineHeight(BODY);
    const smallHeight = ts.lineHeight(SMALL);
    let description = ts.wrap(line.description, columns.description, BODY);
    let period = line.period ? ts.wrap(line.period, columns.description, SMALL) : [];
    const height = () => 2 * ROW_PADDING + description.length * bodyHeight + period.length * smallHeight;
    if (this.y + height() > this.bottom) {
      this.newPage();
      this.tableHeader();
    }
    // A description longer than a page is cut to what fits on one.
    const room = this.bottom - this.y;
    if (height() > room) {
      period = [];
      description = description.slice(0, Math.max(1, Math.floor((room - 2 * ROW_PADDING) / bodyHeight)));
      description[description.length - 1] = `${description.at(-1)!.replace(/.$/u, '')}…`;
    }
    const top = this.y + ROW_PADDING;
    description.forEach((text, i) => {
      ts.draw(text, this.left, top + i * bodyHeight, BODY);
    });
    period.forEach((text, i) => {
      ts.draw(text, this.left, top + description.length * bodyHeight + i * smallHeight, SMALL);
    });
    if (line.quantity) ts.draw(line.quantity, columns.quantityRight, top, BODY, 'right');
    if (line.unitPrice) ts.draw(line.unitPrice, columns.unitPriceRight, top, BODY, 'right');
    ts.draw(line.amount, columns.amountRight, top, BODY, 'right');
    this.y += height();
    this.rule(this.y, LIGHT_RULE, 0.6);
  }

  // ── Totals ────────────────────────────────────────────────────────────────────────────────────

  /** The totals, right of centre and never split across pages. */
  private totals(): void {
    const { view, ts } = this;
    const rows: { label: string; amount: string; style: TextStyle }[] = [
      { label: view.labels.subtotal, amount: view.subtotal, style: BODY },
    ];
    for (const d of view.discounts ?? [])
      rows.push({ label: d.label || view.labels.discount, amount: d.amount, style: BODY });
    for (const t of view.taxes ?? [])
      rows.push({ label: t.label || view.labels.tax || '', amount: t.amount, style: BODY });
    rows.push({ label: view.labels.total, amount: view.total, style: BODY });
    if (view.amountPaid) rows.push({ label: view.labels.amountPaid, amount: view.amountPaid, style: BODY });
    if (view.amountRemaining)
      rows.push({ label: view.labels.amountRemaining, amount: view.amountRemaining, style: BODY });
    rows.push({ label: view.labels.amountDue, amount: view.amountDue, style: DUE });

    const amountWidth = Math.max(...rows.map((row) => ts.width(row.amount, row.style)));
    const blockWidth = Math.max(this.contentWidth * 0.5, Math.min(this.contentWidth, amountWidth + 180));
    const x = this.right - blockWidth;
    const labelWidth = blockWidth - amountWidth - COLUMN_GAP;
    const padding = 3;
    const heights = rows.map((row) => ts.blockHeight(row.label, labelWidth, row.style) + 2 * padding);
    const total = heights.reduce((a, b) => a + b, 0) + 10;
    if (this.y + total > this.bottom) this.newPage();
    this.y += 10;
    rows.forEach((row, i) => {
      const top = this.y + padding;
      ts.block(row.label, x, top, labelWidth, row.style);
      ts.draw(row.amount, this.right, top, row.style, 'right');
      this.y += heights[i]!;
      if (i < rows.length - 1) this.rule(this.y, LIGHT_RULE, 0.6, x);
    });
  }

  private footerText(): void {
    const { view, ts } = this;
    if (!view.footer) return;
    this.y += 18;
    const height = ts.lineHeight(SMALL);
    const lines = ts.wrap(view.footer, this.contentWidth, SMALL);
    // Kept on one page, unless it is longer than a page.
    if (this.y + lines.length * height > this.bottom) this.newPage();
    for (const line of lines) {
      if (this.y + height > this.bottom) this.newPage();
      ts.draw(line, this.left, this.y, SMALL);
      this.y += height;
    }
  }

  // ── Pages ─────────────────────────────────────────────────────────────────────────────────────

  private newPage(): void {
    const { view, ts } = this;
    this.doc.addPage({ size: [this.width, this.height], margin: 0 });
    this.y = TOP;
    const title = `${view.labels.invoice} ${view.number}`;
    ts.draw(title, this.left, this.y, RUNNING);
    const nameWidth = this.contentWidth - ts.width(title, RUNNING) - 24;
    const name = ts.wrap(view.business.name, Math.max(nameWidth, 60), SMALL)[0] ?? '';
    ts.draw(name, this.right, this.y + (ts.lineHeight(RUNNING) - ts.lineHeight(SMALL)) / 2, SMALL, 'right');
    this.y += ts.lineHeight(RUNNING) + 18;
  }

  /** The invoice number and the amount due, and the page's number, at the foot of every page. */
  private pageFooters(): void {
    const { view, ts, doc } = this;
    const range = doc.bufferedPageRange();
    const top = this.height - FOOTER_SPACE + 18;
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      const page = view.labels.page.replace('{page}', String(i + 1)).replace('{pages}', String(range.count));
      const pageWidth = ts.draw(page, this.right, top, SMALL, 'right');
      const summary = view.headline ? `${view.number} · ${view.headline}` : view.number;
      const lines = ts.wrap(summary, this.contentWidth - pageWidth - 24, SMALL);
      ts.draw(lines[0] ?? '', this.left, top, SMALL);
    }
  }

  private rule(y: number, color: string, width: number, from = this.left): void {
    this.doc.moveTo(from, y).lineTo(this.right, y).lineWidth(width).strokeColor(color).stroke();
  }
}
