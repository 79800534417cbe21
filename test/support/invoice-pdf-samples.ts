// Invoice views for the PDF renderer's tests and benchmark, in several languages and scripts.
import { crc32, deflateSync } from 'node:zlib';
import type { InvoicePdfLabels, InvoicePdfView } from '../../src/billing/invoices/pdf/index.ts';

export const LABELS: Record<'en' | 'de' | 'ja' | 'zh-TW' | 'th' | 'ru' | 'el', InvoicePdfLabels> = {
  en: {
    invoice: 'Invoice',
    invoiceNumber: 'Invoice number',
    dateOfIssue: 'Date of issue',
    dateDue: 'Date due',
    datePaid: 'Date paid',
    billTo: 'Bill to',
    shipTo: 'Ship to',
    description: 'Description',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    amount: 'Amount',
    subtotal: 'Subtotal',
    discount: 'Discount',
    tax: 'Tax',
    total: 'Total',
    amountDue: 'Amount due',
    amountPaid: 'Amount paid',
    amountRemaining: 'Amount remaining',
    payOnline: 'Pay online',
    page: 'Page {page} of {pages}',
    paid: 'Paid',
    void: 'Void',
    uncollectible: 'Uncollectible',
  },
  de: {
    invoice: 'Rechnung',
    invoiceNumber: 'Rechnungsnummer',
    dateOfIssue: 'Rechnungsdatum',
    dateDue: 'Fälligkeitsdatum',
    datePaid: 'Bezahlt am',
    billTo: 'Rechnung an',
    shipTo: 'Lieferung an',
    description: 'Beschreibung',
    quantity: 'Menge',
    unitPrice: 'Stückpreis',
    amount: 'Betrag',
    subtotal: 'Zwischensumme',
    discount: 'Rabatt',
    tax: 'Steuer',
    total: 'Gesamt',
    amountDue: 'Fälliger Betrag',
    amountPaid: 'Bezahlter Betrag',
    amountRemaining: 'Restbetrag',
    payOnline: 'Online bezahlen',
    page: 'Seite {page} von {pages}',
    paid: 'Bezahlt',
    void: 'Storniert',
  },
  ja: {
    invoice: '請求書',
    invoiceNumber: '請求書番号',
    dateOfIssue: '発行日',
    dateDue: '支払期日',
    datePaid: '支払日',
    billTo: '請求先',
    shipTo: '配送先',
    description: '内容',
    quantity: '数量',
    unitPrice: '単価',
    amount: '金額',
    subtotal: '小計',
    discount: '割引',
    tax: '税',
    total: '合計',
    amountDue: '支払金額',
    amountPaid: '支払済み金額',
    amountRemaining: '残額',
    payOnline: 'オンラインで支払う',
    page: '{page} / {pages} ページ',
    paid: '支払済み',
    void: '無効',
  },
  'zh-TW': {
    invoice: '發票',
    invoiceNumber: '發票號碼',
    dateOfIssue: '開立日期',
    dateDue: '到期日',
    datePaid: '付款日期',
    billTo: '帳單寄送至',
    shipTo: '運送至',
    description: '說明',
    quantity: '數量',
    unitPrice: '單價',
    amount: '金額',
    subtotal: '小計',
    discount: '折扣',
    tax: '稅金',
    total: '總計',
    amountDue: '應付金額',
    amountPaid: '已付金額',
    amountRemaining: '剩餘金額',
    payOnline: '線上付款',
    page: '第 {page} 頁，共 {pages} 頁',
    paid: '已付款',
    void: '已作廢',
  },
  th: {
    invoice: 'ใบแจ้งหนี้',
    invoiceNumber: 'เลขที่ใบแจ้งหนี้',
    dateOfIssue: 'วันที่ออก',
    dateDue: 'วันครบกำหนด',
    datePaid: 'วันที่ชำระ',
    billTo: 'เรียกเก็บเงินจาก',
    shipTo: 'จัดส่งถึง',
    description: 'รายละเอียด',
    quantity: 'จำนวน',
    unitPrice: 'ราคาต่อหน่วย',
    amount: 'จำนวนเงิน',
    subtotal: 'ยอดรวมย่อย',
    discount: 'ส่วนลด',
    tax: 'ภาษี',
    total: 'ยอดรวม',
    amountDue: 'ยอดที่ต้องชำระ',
    amountPaid: 'ยอดที่ชำระแล้ว',
    amountRemaining: 'ยอดคงเหลือ',
    payOnline: 'ชำระเงินออนไลน์',
    page: 'หน้า {page} จาก {pages}',
    paid: 'ชำระแล้ว',
    void: 'เป็นโมฆะ',
  },
  ru: {
    invoice: 'Счёт',
    invoiceNumber: 'Номер счёта',
    dateOfIssue: 'Дата выставления',
    dateDue: 'Срок оплаты',
    datePaid: 'Дата оплаты',
    billTo: 'Плательщик',
    shipTo: 'Адрес доставки',
    description: 'Описание',
    quantity: 'Кол-во',
    unitPrice: 'Цена за единицу',
    amount: 'Сумма',
    subtotal: 'Промежуточный итог',
    discount: 'Скидка',
    tax: 'Налог',
    total: 'Итого',
    amountDue: 'К оплате',
    amountPaid: 'Оплачено',
    amountRemaining: 'Остаток',
    payOnline: 'Оплатить онлайн',
    page: 'Страница {page} из {pages}',
    paid: 'Оплачен',
    void: 'Аннулирован',
  },
  el: {
    invoice: 'Τιμολόγιο',
    invoiceNumber: 'Αριθμός τιμολογίου',
    dateOfIssue: 'Ημερομηνία έκδοσης',
    dateDue: 'Ημερομηνία λήξης',
    datePaid: 'Ημερομηνία πληρωμής',
    billTo: 'Χρέωση σε',
    shipTo: 'Αποστολή σε',
    description: 'Περιγραφή',
    quantity: 'Ποσ.',
    unitPrice: 'Τιμή μονάδας',
    amount: 'Ποσό',
    subtotal: 'Μερικό σύνολο',
    discount: 'Έκπτωση',
    tax: 'Φόρος',
    total: 'Σύνολο',
    amountDue: 'Οφειλόμενο ποσό',
    amountPaid: 'Ποσό που πληρώθηκε',
    amountRemaining: 'Υπόλοιπο',
    payOnline: 'Πληρωμή online',
    page: 'Σελίδα {page} από {pages}',
    paid: 'Πληρώθηκε',
    void: 'Ακυρώθηκε',
  },
};

/** A small PNG: a rounded-looking blue badge, 120 × 40 pixels. */
export function sampleLogo(): Buffer {
  const width = 120;
  const height = 40;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const inside = x >= 2 && x < width - 2 && y >= 2 && y < height - 2;
      const stripe = x > 12 && x < 28;
      const [r, g, b] = !inside ? [255, 255, 255] : stripe ? [255, 255, 255] : [32, 86, 196];
      row.set([r, g, b], 1 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const BUSINESS = {
  name: 'Portico Demo GmbH',
  addressLines: ['Friedrichstraße 68', '10117 Berlin', 'Germany'],
  email: 'billing@portico.example',
  phone: '+49 30 1234567',
  taxIds: ['DE VAT DE123456789'],
};

/** A typical five-line US invoice, open, with a logo. */
export function englishInvoice(): InvoicePdfView {
  return {
    locale: 'en',
    labels: LABELS.en,
    issuedAt: new Date(Date.UTC(2026, 2, 1, 9, 30)),
    number: 'A1B2C3D4-0042',
    status: 'open',
    dates: { issued: 'March 1, 2026', due: 'March 31, 2026' },
    business: {
      name: 'Acme Cloud, Inc.',
      addressLines: ['500 Howard Street, Suite 300', 'San Francisco, CA 94105', 'United States'],
      email: 'billing@acme.example',
      phone: '+1 415 555 0100',
      logo: sampleLogo(),
    },
    customer: {
      name: 'Jane Cooper',
      email: 'jane.cooper@example.com',
      addressLines: ['Cooper & Sons Ltd.', '1200 Market Street', 'Philadelphia, PA 19107', 'United States'],
      shippingLines: ['Jane Cooper', '88 Elm Avenue', 'Austin, TX 78701', 'United States'],
      taxIds: ['US EIN 12-3456789'],
    },
    headline: '$1,271.05 due March 31, 2026',
    hostedInvoiceUrl: 'https://billing.acme.example/i/in_1Nx2/abc123',
    memo: 'Thank you for your business. Questions about this invoice? Reply to billing@acme.example.',
    lines: [
      {
        description: 'Pro plan',
        period: 'Mar 1 – Mar 31, 2026',
        quantity: '5',
        unitPrice: '$49.00',
        amount: '$245.00',
      },
      {
        description: 'Additional storage (per 100 GB)',
        period: 'Mar 1 – Mar 31, 2026',
        quantity: '12',
        unitPrice: '$15.00',
        amount: '$180.00',
      },
      {
        description:
          'Priority support with a dedicated account manager, a four-hour response time on business days and quarterly architecture reviews',
        period: 'Mar 1 – Mar 31, 2026',
        quantity: '1',
        unitPrice: '$600.00',
        amount: '$600.00',
      },
      {
        description: 'API requests over the included 1,000,000',
        period: 'Feb 1 – Feb 28, 2026',
        quantity: '241,300',
        unitPrice: '$0.0005',
        amount: '$120.65',
      },
      { description: 'Onboarding workshop', quantity: '1', unitPrice: '$250.00', amount: '$250.00' },
    ],
    subtotal: '$1,395.65',
    discounts: [{ label: 'SPRING26 (20% off Pro plan)', amount: '−$49.00' }],
    taxes: [{ label: 'Sales tax — Texas (8.25% on $1,346.65)', amount: '$111.10' }],
    total: '$1,457.75',
    amountPaid: '$186.70',
    amountRemaining: '$1,271.05',
    amountDue: '$1,271.05',
    footer:
      'Acme Cloud, Inc. · Payment by card or bank transfer to account 0123456789 (routing 021000021). Late payments may incur a fee of 1.5% per month.',
  };
}

/** A German invoice, paid, whose customer is a Japanese company written in Japanese. */
export function germanInvoice(): InvoicePdfView {
  return {
    locale: 'de',
    labels: LABELS.de,
    issuedAt: new Date(Date.UTC(2026, 2, 2)),
    number: 'DE77F1A2-0007',
    status: 'paid',
    dates: { issued: '2. März 2026', due: '16. März 2026', paid: '5. März 2026' },
    business: BUSINESS,
    customer: {
      name: '株式会社ヤマダ商事',
      email: 'keiri@yamada.example.jp',
      addressLines: ['〒100-0005 東京都千代田区丸の内1-1-1', 'Japan'],
      taxIds: ['JP T1234567890123'],
    },
    headline: '1.190,00 € bezahlt am 5. März 2026',
    lines: [
      {
        description: 'Team-Tarif (Jahresabo)',
        period: '2. März 2026 – 1. März 2027',
        quantity: '10',
        unitPrice: '100,00 €',
        amount: '1.000,00 €',
      },
    ],
    subtotal: '1.000,00 €',
    taxes: [{ label: 'USt. (19 % auf 1.000,00 €)', amount: '190,00 €' }],
    total: '1.190,00 €',
    amountPaid: '1.190,00 €',
    amountDue: '0,00 €',
    footer:
      'Portico Demo GmbH · Amtsgericht Berlin-Charlottenburg HRB 123456 · Geschäftsführerin: Grüße Müßig',
  };
}

export function japaneseInvoice(): InvoicePdfView {
  return {
    locale: 'ja',
    labels: LABELS.ja,
    issuedAt: new Date(Date.UTC(2026, 3, 1)),
    number: 'JP00AB12-0101',
    status: 'open',
    dates: { issued: '2026年4月1日', due: '2026年4月30日' },
    business: {
      name: 'ポルティコ株式会社',
      addressLines: ['〒150-0002', '東京都渋谷区渋谷2-21-1 渋谷ヒカリエ 20F'],
      email: 'billing@portico.example.jp',
      phone: '03-1234-5678',
      taxIds: ['登録番号 T9876543210987'],
    },
    customer: {
      name: '山田 太郎',
      email: 'taro.yamada@example.jp',
      addressLines: ['〒530-0001', '大阪府大阪市北区梅田3-1-3'],
    },
    headline: '¥33,000 お支払い期日 2026年4月30日',
    hostedInvoiceUrl: 'https://billing.portico.example/i/in_jp/xyz',
    memo: 'いつもご利用いただきありがとうございます。お支払いは期日までにお願いいたします。',
    lines: [
      {
        description: 'スタンダードプラン（月額）',
        period: '2026年4月1日～2026年4月30日',
        quantity: '3',
        unitPrice: '¥5,000',
        amount: '¥15,000',
      },
      {
        description: '追加ストレージ 100GB あたりの利用料金（超過分は翌月に精算されます）',
        period: '2026年4月1日～2026年4月30日',
        quantity: '3',
        unitPrice: '¥5,000',
        amount: '¥15,000',
      },
    ],
    subtotal: '¥30,000',
    taxes: [{ label: '消費税 (10%)', amount: '¥3,000' }],
    total: '¥33,000',
    amountDue: '¥33,000',
    footer: 'お振込先：みずほ銀行 渋谷支店 普通 1234567 ポルティコ（カ）',
  };
}

export function traditionalChineseInvoice(): InvoicePdfView {
  return {
    locale: 'zh-TW',
    labels: LABELS['zh-TW'],
    issuedAt: new Date(Date.UTC(2026, 4, 5)),
    number: 'TW55CC01-0003',
    status: 'paid',
    dates: { issued: '2026年5月5日', due: '2026年5月5日', paid: '2026年5月5日' },
    business: {
      name: '波提科股份有限公司',
      addressLines: ['110 臺北市信義區信義路五段7號'],
      email: 'billing@portico.example.tw',
      taxIds: ['統一編號 12345678'],
    },
    customer: {
      name: '陳大文',
      email: 'daiwen.chen@example.tw',
      addressLines: ['802 高雄市苓雅區四維三路2號'],
    },
    headline: 'NT$3,150.00 已於 2026年5月5日 付款',
    lines: [
      {
        description: '專業方案（月繳）',
        period: '2026年5月5日 – 2026年6月4日',
        quantity: '1',
        unitPrice: 'NT$3,000.00',
        amount: 'NT$3,000.00',
      },
    ],
    subtotal: 'NT$3,000.00',
    taxes: [{ label: '營業稅 (5%)', amount: 'NT$150.00' }],
    total: 'NT$3,150.00',
    amountPaid: 'NT$3,150.00',
    amountDue: 'NT$0.00',
  };
}

export function thaiInvoice(): InvoicePdfView {
  return {
    locale: 'th',
    labels: LABELS.th,
    issuedAt: new Date(Date.UTC(2026, 5, 10)),
    number: 'TH9000AA-0012',
    status: 'open',
    dates: { issued: '10 มิถุนายน 2569', due: '10 กรกฎาคม 2569' },
    business: {
      name: 'บริษัท พอร์ติโก้ จำกัด',
      addressLines: ['999/9 ถนนพระราม 1', 'แขวงปทุมวัน เขตปทุมวัน', 'กรุงเทพมหานคร 10330'],
      email: 'billing@portico.example.co.th',
      taxIds: ['เลขประจำตัวผู้เสียภาษี 0105551234567'],
    },
    customer: {
      name: 'สมชาย ใจดี',
      email: 'somchai@example.co.th',
      addressLines: ['123 ถนนนิมมานเหมินท์', 'เชียงใหม่ 50200'],
    },
    headline: '฿5,350.00 ครบกำหนดชำระ 10 กรกฎาคม 2569',
    hostedInvoiceUrl: 'https://billing.portico.example/i/in_th/xyz',
    lines: [
      {
        description: 'แพ็กเกจธุรกิจรายเดือนสำหรับทีมขนาดเล็กพร้อมการสนับสนุนทางอีเมลตลอดยี่สิบสี่ชั่วโมง',
        period: '10 มิ.ย. 2569 – 9 ก.ค. 2569',
        quantity: '5',
        unitPrice: '฿1,000.00',
        amount: '฿5,000.00',
      },
    ],
    subtotal: '฿5,000.00',
    taxes: [{ label: 'ภาษีมูลค่าเพิ่ม (7%)', amount: '฿350.00' }],
    total: '฿5,350.00',
    amountDue: '฿5,350.00',
  };
}

export function russianInvoice(): InvoicePdfView {
  return {
    locale: 'ru',
    labels: LABELS.ru,
    issuedAt: new Date(Date.UTC(2026, 6, 1)),
    number: 'RU12EF34-0020',
    status: 'void',
    dates: { issued: '1 июля 2026 г.', due: '31 июля 2026 г.' },
    business: BUSINESS,
    customer: {
      name: 'Алексей Смирнов',
      email: 'a.smirnov@example.ru',
      addressLines: ['ул. Тверская, д. 7, кв. 15', 'Москва, 125009', 'Россия'],
    },
    headline: '12 400,00 ₽ к оплате до 31 июля 2026 г.',
    lines: [
      {
        description: 'Тариф «Бизнес» — ежемесячная подписка',
        period: '1 июля – 31 июля 2026 г.',
        quantity: '4',
        unitPrice: '3 100,00 ₽',
        amount: '12 400,00 ₽',
      },
    ],
    subtotal: '12 400,00 ₽',
    total: '12 400,00 ₽',
    amountDue: '12 400,00 ₽',
  };
}

export function greekInvoice(): InvoicePdfView {
  return {
    locale: 'el',
    labels: LABELS.el,
    issuedAt: new Date(Date.UTC(2026, 7, 3)),
    number: 'GR0A0B0C-0005',
    status: 'open',
    dates: { issued: '3 Αυγούστου 2026', due: '2 Σεπτεμβρίου 2026' },
    business: BUSINESS,
    customer: {
      name: 'Γιώργος Παπαδόπουλος',
      email: 'g.papadopoulos@example.gr',
      addressLines: ['Οδός Ερμού 25', '105 63 Αθήνα', 'Ελλάδα'],
      taxIds: ['ΑΦΜ EL123456789'],
    },
    headline: '248,00 € οφειλόμενα έως 2 Σεπτεμβρίου 2026',
    lines: [
      {
        description: 'Βασικό πρόγραμμα',
        period: '3 Αυγ – 2 Σεπ 2026',
        quantity: '2',
        unitPrice: '100,00 €',
        amount: '200,00 €',
      },
    ],
    subtotal: '200,00 €',
    taxes: [{ label: 'ΦΠΑ (24% επί 200,00 €)', amount: '48,00 €' }],
    total: '248,00 €',
    amountDue: '248,00 €',
  };
}

/** Sixty lines: three pages of A4. */
export function longInvoice(): InvoicePdfView {
  const lines = Array.from({ length: 60 }, (_, i) => ({
    description:
      i % 7 === 3
        ? `Seat ${i + 1} — usage-based add-on with a long description that wraps onto a second line in the table`
        : `Seat ${i + 1} — Team plan`,
    period: '1 Apr 2026 – 30 Apr 2026',
    quantity: String((i % 4) + 1),
    unitPrice: '£12.00',
    amount: `£${((i % 4) + 1) * 12}.00`,
  }));
  return {
    ...englishInvoice(),
    locale: 'en-GB',
    number: 'GB60LINE-0060',
    dates: { issued: '1 April 2026', due: '1 May 2026' },
    headline: '£1,800.00 due 1 May 2026',
    lines,
    discounts: [],
    taxes: [{ label: 'VAT (20% on £1,500.00)', amount: '£300.00' }],
    subtotal: '£1,500.00',
    total: '£1,800.00',
    amountPaid: undefined,
    amountRemaining: undefined,
    amountDue: '£1,800.00',
  };
}
