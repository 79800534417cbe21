import type { Money } from '../i18n/format.ts';
import type { I18n, MessageKey } from '../i18n/messages.ts';
import { Badge, type Tone, useI18n } from './ui.tsx';

/** A saved payment method as lists show it. */
export interface PaymentMethodView {
  id: string;
  /** `card` for cards (and wallets); other types show their `label`. */
  type: 'card' | string;
  /** Card brand as the API names it: `visa`, `mastercard`, `amex`, … */
  brand?: string | null;
  last4?: string | null;
  expMonth?: number | null;
  expYear?: number | null;
  /** A name for methods that are not cards ("SEPA Direct Debit"). */
  label?: string | null;
  isDefault?: boolean;
  /** The card's expiry has passed (worked out on the customer's clock). */
  expired?: boolean;
}

const BRANDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  cartes_bancaires: 'Cartes Bancaires',
  eftpos_au: 'eftpos',
  interac: 'Interac',
  link: 'Link',
};

/** A card brand's own name (brand names are not translated). */
export function brandName(brand: string | null | undefined): string | undefined {
  if (!brand || brand === 'unknown') return undefined;
  return BRANDS[brand] ?? brand.charAt(0).toUpperCase() + brand.slice(1);
}

/** "Visa ending in 4242", "Card ending in 4242", or a non-card method's label. */
export function paymentMethodName(i: I18n, pm: PaymentMethodView): string {
  if (pm.type !== 'card') return pm.label ?? pm.type;
  return i.t('paymentMethods.cardEnding', {
    brand: brandName(pm.brand) ?? i.t('paymentMethods.card'),
    last4: pm.last4 ?? '····',
  });
}

export function CardIcon() {
  return (
    <svg class="pm__icon" viewBox="0 0 32 22" width="32" height="22" aria-hidden="true" focusable="false">
      <rect x="0.5" y="0.5" width="31" height="21" rx="3.5" fill="none" stroke="currentColor" />
      <rect x="0.5" y="5" width="31" height="4" fill="currentColor" />
      <rect x="4" y="14" width="10" height="2.5" rx="1" fill="currentColor" />
    </svg>
  );
}

/** Brand, last four and expiry of a method, with its badges. */
export function PaymentMethodSummary(props: { pm: PaymentMethodView }) {
  const i = useI18n();
  const { pm } = props;
  const expiry =
    pm.expMonth && pm.expYear
      ? i.t(pm.expired ? 'paymentMethods.expired' : 'paymentMethods.expires', {
          date: `${String(pm.expMonth).padStart(2, '0')}/${pm.expYear}`,
        })
      : undefined;
  return (
    <div class="pm">
      <CardIcon />
      <div class="pm__text">
        <span class="pm__name">{paymentMethodName(i, pm)}</span>
        {expiry ? <span class={`pm__meta${pm.expired ? ' pm__meta--warning' : ''}`}>{expiry}</span> : null}
      </div>
      {pm.isDefault ? <Badge tone="neutral">{i.t('paymentMethods.default')}</Badge> : null}
    </div>
  );
}

/** The statuses a subscription can be shown in. */
export type SubscriptionStatus =
  | 'active'
  | 'trialing'
  | 'past_due'
  | 'unpaid'
  | 'paused'
  | 'canceled'
  | 'incomplete'
  | 'incomplete_expired';

const SUBSCRIPTION_BADGES: Record<SubscriptionStatus, [MessageKey, Tone]> = {
  active: ['subscription.status.active', 'success'],
  trialing: ['subscription.status.trialing', 'info'],
  past_due: ['subscription.status.past_due', 'danger'],
  unpaid: ['subscription.status.unpaid', 'danger'],
  paused: ['subscription.status.paused', 'neutral'],
  canceled: ['subscription.status.canceled', 'neutral'],
  incomplete: ['subscription.status.incomplete', 'warning'],
  incomplete_expired: ['subscription.status.incomplete_expired', 'neutral'],
};

export function SubscriptionStatusBadge(props: { status: SubscriptionStatus }) {
  const i = useI18n();
  const [key, tone] = SUBSCRIPTION_BADGES[props.status];
  return <Badge tone={tone}>{i.t(key)}</Badge>;
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';

const INVOICE_BADGES: Record<InvoiceStatus, [MessageKey, Tone]> = {
  draft: ['invoice.status.draft', 'neutral'],
  open: ['invoice.status.open', 'info'],
  paid: ['invoice.status.paid', 'success'],
  void: ['invoice.status.void', 'neutral'],
  uncollectible: ['invoice.status.uncollectible', 'danger'],
};

export function InvoiceStatusBadge(props: { status: InvoiceStatus; overdue?: boolean }) {
  const i = useI18n();
  if (props.overdue && props.status === 'open')
    return <Badge tone="danger">{i.t('invoice.status.overdue')}</Badge>;
  const [key, tone] = INVOICE_BADGES[props.status];
  return <Badge tone={tone}>{i.t(key)}</Badge>;
}

/** A recurring price: "$15.00 per month", "$150.00 every 3 months", or a one-off "$15.00". */
export interface PriceView {
  amount: Money;
  interval?: 'day' | 'week' | 'month' | 'year' | null;
  intervalCount?: number | null;
}

export function priceText(i: I18n, price: PriceView): string {
  const amount = i.money(price.amount);
  if (!price.interval) return amount;
  return i.t('price.recurring', { amount, interval: price.interval, count: price.intervalCount ?? 1 });
}

/** Tax ID types with the short name customers know them by and the country they belong to. */
export const TAX_ID_TYPES: Record<string, { name: string; country?: string; example?: string }> = {
  eu_vat: { name: 'EU VAT', example: 'DE123456789' },
  gb_vat: { name: 'VAT', country: 'GB', example: 'GB123456789' },
  ch_vat: { name: 'VAT', country: 'CH', example: 'CHE-123.456.789 MWST' },
  no_vat: { name: 'VAT', country: 'NO', example: '123456789MVA' },
  us_ein: { name: 'EIN', country: 'US', example: '12-3456789' },
  ca_bn: { name: 'BN', country: 'CA', example: '123456789' },
  ca_gst_hst: { name: 'GST/HST', country: 'CA', example: '123456789RT0002' },
  ca_qst: { name: 'QST', country: 'CA', example: '1234567890TQ1234' },
  au_abn: { name: 'ABN', country: 'AU', example: '12345678912' },
  nz_gst: { name: 'GST', country: 'NZ', example: '123456789' },
  in_gst: { name: 'GST', country: 'IN', example: '12ABCDE3456FGZH' },
  sg_gst: { name: 'GST', country: 'SG', example: 'M12345678X' },
  sg_uen: { name: 'UEN', country: 'SG', example: '123456789F' },
  jp_cn: { name: 'Corporate Number', country: 'JP', example: '1234567891234' },
  jp_trn: { name: 'T-number', country: 'JP', example: 'T1234567891234' },
  kr_brn: { name: 'BRN', country: 'KR', example: '123-45-67890' },
  br_cnpj: { name: 'CNPJ', country: 'BR', example: '01.234.456/5432-10' },
  br_cpf: { name: 'CPF', country: 'BR', example: '123.456.789-87' },
  mx_rfc: { name: 'RFC', country: 'MX', example: 'ABC010203AB9' },
  es_cif: { name: 'CIF', country: 'ES', example: 'A12345678' },
  za_vat: { name: 'VAT', country: 'ZA', example: '4123456789' },
  ae_trn: { name: 'TRN', country: 'AE', example: '123456789012345' },
  th_vat: { name: 'VAT', country: 'TH', example: '1234567891234' },
  tw_vat: { name: 'VAT', country: 'TW', example: '12345678' },
  hk_br: { name: 'BR', country: 'HK', example: '12345678' },
  my_sst: { name: 'SST', country: 'MY', example: 'A12-3456-78912345' },
  id_npwp: { name: 'NPWP', country: 'ID', example: '012.345.678.9-012.345' },
  tr_tin: { name: 'TIN', country: 'TR', example: '0123456789' },
};

/** "VAT (United Kingdom)", "EU VAT", or the type's code when it is not in the table. */
export function taxIdTypeName(i: I18n, type: string): string {
  const known = TAX_ID_TYPES[type];
  if (!known) return type.toUpperCase().replace(/_/g, ' ');
  return known.country ? `${known.name} (${i.country(known.country)})` : known.name;
}
