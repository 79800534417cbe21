import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { isRefusal } from '../../../core/errors.ts';
import type { UpdateCustomerParams } from '../../customers/params.ts';
import { updateCustomer } from '../../customers/service.ts';
import { checkTaxIdValue, TAX_ID_TYPES, type TaxIdType } from '../../tax-ids/formats.ts';
import { createCustomerTaxId, deleteCustomerTaxId } from '../../tax-ids/service.ts';
import type { PortalScope } from './overview.ts';

/** What the billing information form sends (already trimmed; absent when left empty). */
export interface AddressInput {
  line1?: string;
  line2?: string;
  city?: string;
  state?: string;
  postal_code?: string;
  country?: string;
}

export interface BillingDetailsInput {
  name?: string;
  email?: string;
  phone?: string;
  address?: AddressInput;
  shipping?: { name?: string; phone?: string; address?: AddressInput };
  newTaxId?: { type?: string; value?: string };
}

/** A field the customer must correct: its form name and a code the page renders in its language. */
export interface FieldRefusal {
  field: string;
  code: string;
}

type Allowed = Stripe.BillingPortal.Configuration.Features.CustomerUpdate.AllowedUpdate;

// Portico rules (contract §9.9): a plausible address shape, ISO country codes, phone digits.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ().-]{5,20}$/;
const COUNTRY = /^[A-Z]{2}$/;

/** An address counts as given when any line of it is filled in (the country selector always is). */
const hasAddress = (a: AddressInput | undefined): a is AddressInput =>
  a !== undefined && [a.line1, a.line2, a.city, a.state, a.postal_code].some((v) => v !== undefined);

function checkAddress(address: AddressInput | undefined, prefix: string, refusals: FieldRefusal[]) {
  if (!hasAddress(address)) return;
  if (!address.country || !COUNTRY.test(address.country))
    refusals.push({ field: `${prefix}[country]`, code: 'country_invalid' });
  if (!address.line1) refusals.push({ field: `${prefix}[line1]`, code: 'parameter_missing' });
}

const addressParams = (a: AddressInput | undefined) =>
  hasAddress(a)
    ? {
        line1: a.line1 ?? '',
        line2: a.line2 ?? '',
        city: a.city ?? '',
        state: a.state ?? '',
        postal_code: a.postal_code ?? '',
        country: a.country ?? '',
      }
    : null;

/** Every refusal of the form at once, so the page can show them together. Writes nothing. */
export function checkBillingDetails(allowed: readonly Allowed[], input: BillingDetailsInput): FieldRefusal[] {
  const refusals: FieldRefusal[] = [];
  if (allowed.includes('email') && input.email !== undefined && !EMAIL.test(input.email))
    refusals.push({ field: 'email', code: 'email_invalid' });
  if (allowed.includes('phone') && input.phone !== undefined && !PHONE.test(input.phone))
    refusals.push({ field: 'phone', code: 'phone_invalid' });
  if (allowed.includes('address')) checkAddress(input.address, 'address', refusals);
  if (allowed.includes('shipping') && input.shipping) {
    const s = input.shipping;
    const given = s.name !== undefined || addressParams(s.address) !== null;
    if (given && !s.name) refusals.push({ field: 'shipping[name]', code: 'parameter_missing' });
    if (given) checkAddress(s.address ?? {}, 'shipping[address]', refusals);
    if (given && !addressParams(s.address))
      refusals.push({ field: 'shipping[address][line1]', code: 'parameter_missing' });
  }
  const tax = input.newTaxId;
  if (allowed.includes('tax_id') && tax && (tax.type !== undefined || tax.value !== undefined)) {
    if (!tax.type || !(TAX_ID_TYPES as readonly string[]).includes(tax.type))
      refusals.push({ field: 'tax_id[type]', code: 'tax_id_type_missing' });
    else if (!tax.value) refusals.push({ field: 'tax_id[value]', code: 'parameter_missing' });
    else {
      try {
        checkTaxIdValue(tax.type as TaxIdType, tax.value, 'tax_id[value]');
      } catch (error) {
        if (!isRefusal(error)) throw error;
        refusals.push({ field: 'tax_id[value]', code: 'tax_id_invalid' });
      }
    }
  }
  return refusals;
}

/**
 * Saves the billing information form: only the fields the configuration allows
 * (`features.customer_update.allowed_updates`), through the same customer and tax ID services as
 * the API, so the same events follow (`customer.updated`, `customer.tax_id.created`). Answers the
 * refusals instead when there are any; then nothing is written.
 */
export async function updateBillingDetails(
  ctx: Ctx,
  portal: PortalScope,
  input: BillingDetailsInput,
): Promise<FieldRefusal[]> {
  // A session opened with an emailed code keeps the email that opened it (Stripe's rule).
  const allowed = portal.configuration.features.customer_update.allowed_updates.filter(
    (field) => field !== 'email' || !portal.emailLocked,
  );
  const refusals = checkBillingDetails(allowed, input);
  if (refusals.length > 0) return refusals;
  const params: UpdateCustomerParams = {};
  if (allowed.includes('name')) params.name = input.name ?? '';
  if (allowed.includes('email')) params.email = input.email ?? '';
  if (allowed.includes('phone')) params.phone = input.phone ?? '';
  if (allowed.includes('address')) params.address = addressParams(input.address);
  if (allowed.includes('shipping')) {
    const s = input.shipping;
    const address = addressParams(s?.address);
    params.shipping = s?.name && address ? { name: s.name, phone: s.phone ?? '', address } : null;
  }
  if (Object.keys(params).length > 0) await updateCustomer(ctx, portal.customer.id, params);
  const tax = input.newTaxId;
  if (allowed.includes('tax_id') && tax?.type && tax.value) {
    await createCustomerTaxId(ctx, portal.customer.id, { type: tax.type as TaxIdType, value: tax.value });
  }
  return [];
}

/** Removes one of the customer's tax IDs (`customer.tax_id.deleted`); another customer's is not found. */
export async function removeBillingTaxId(ctx: Ctx, portal: PortalScope, id: string): Promise<void> {
  if (!portal.configuration.features.customer_update.allowed_updates.includes('tax_id')) return;
  await deleteCustomerTaxId(ctx, portal.customer.id, id);
}
