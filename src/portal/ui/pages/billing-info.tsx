import { AddressFields, type AddressView, addressFieldLabels } from '../components/address.tsx';
import { TAX_ID_TYPES, taxIdTypeName } from '../components/billing.tsx';
import type { FieldError, PageChrome } from '../components/chrome.ts';
import { Layout } from '../components/layout.tsx';
import {
  BackLink,
  Button,
  ErrorSummary,
  Hidden,
  Link,
  PostForm,
  SelectField,
  TextField,
  useI18n,
} from '../components/ui.tsx';
import { i18n } from '../i18n/messages.ts';
import { renderDocument } from '../render.ts';

/**
 * The billing information form. Field names (what the routes read back):
 * `name`, `email`, `phone`, `address[line1|line2|city|state|postal_code|country]`,
 * `shipping[name]`, `shipping[phone]`, `shipping[address][…]`, `tax_id[type]`, `tax_id[value]`
 * (a new tax ID). Each saved tax ID has its own remove button, in a form of its own, posting
 * `remove_tax_id=<id>` (with `_csrf` only).
 * The main button posts `_action=save`.
 */
export interface BillingInfoView {
  page: PageChrome;
  csrfToken: string;
  /** Where the form posts. */
  action: string;
  /** Back to the homepage (or out of a flow). */
  cancelUrl?: string | null;
  /** `features.customer_update.allowed_updates`: only these fields are shown. */
  allowed: {
    name?: boolean;
    email?: boolean;
    phone?: boolean;
    address?: boolean;
    shipping?: boolean;
    taxIds?: boolean;
  };
  /** The values to show: the customer's, or on redisplay what the customer sent. */
  values: {
    name?: string | null;
    email?: string | null;
    phone?: string | null;
    address?: AddressView | null;
    shipping?: { name?: string | null; phone?: string | null; address?: AddressView | null } | null;
    /** The customer's saved tax IDs. */
    taxIds?: { id: string; type: string; value: string }[];
    /** A tax ID being added. */
    newTaxId?: { type?: string | null; value?: string | null } | null;
  };
  /** Refusals of the last submission; empty on first display. */
  errors?: FieldError[];
  /** Countries offered (ISO codes); every country when absent. */
  countries?: string[];
  /** Tax ID types offered; a common set when absent. */
  taxIdTypes?: string[];
  /** Email cannot change in sessions opened from the login page. */
  emailLocked?: boolean;
}

const removeFormId = (taxId: string) => `remove-tax-id-${taxId}`;

function TaxIds(props: { view: BillingInfoView }) {
  const i = useI18n();
  const { view } = props;
  const saved = view.values.taxIds ?? [];
  const types = view.taxIdTypes ?? Object.keys(TAX_ID_TYPES);
  const selected = view.values.newTaxId?.type ?? '';
  const example = TAX_ID_TYPES[selected]?.example;
  return (
    <fieldset class="fieldset">
      <legend class="fieldset__legend">{i.t('billingForm.taxIds.legend')}</legend>
      {saved.length > 0 ? (
        <ul class="list">
          {saved.map((tax) => (
            <li class="list__row" key={tax.id}>
              <span>
                <span class="muted">{taxIdTypeName(i, tax.type)}</span> <span class="mono">{tax.value}</span>
              </span>
              <Button kind="link" name="remove_tax_id" value={tax.id} form={removeFormId(tax.id)}>
                {i.t('billingForm.taxIds.remove')}
                <Hidden>: {tax.value}</Hidden>
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <div class="fieldset__group">
        <SelectField
          name="tax_id[type]"
          label={i.t('billingForm.taxIds.type')}
          value={selected}
          placeholder={i.t('billingForm.taxIds.typeNone')}
          options={types
            .map((type) => ({ value: type, label: taxIdTypeName(i, type) }))
            .sort((a, b) => a.label.localeCompare(b.label, i.locale))}
          errors={view.errors}
        />
        <TextField
          name="tax_id[value]"
          label={i.t('billingForm.taxIds.value')}
          hint={example ? i.t('billingForm.taxIds.example', { example }) : undefined}
          value={view.values.newTaxId?.value}
          spellcheck={false}
          errors={view.errors}
        />
      </div>
    </fieldset>
  );
}

export function BillingInfoPage(props: { view: BillingInfoView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const { allowed, values, errors } = view;
  const formId = 'billing-form';
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('billingForm.title')}>
      <BackLink href={view.cancelUrl} />
      <ErrorSummary
        errors={errors}
        labels={{
          ...addressFieldLabels(i, 'address', values.address?.country),
          ...addressFieldLabels(i, 'shipping[address]', values.shipping?.address?.country),
          'shipping[name]': i.t('billingForm.shippingName'),
        }}
      />
      <h1 class="page-title">{i.t('billingForm.title')}</h1>
      <PostForm action={view.action} csrfToken={view.csrfToken} id={formId} class="form">
        {allowed.name ? (
          <TextField
            name="name"
            label={i.t('billing.name')}
            value={values.name}
            autocomplete="name"
            errors={errors}
          />
        ) : null}
        {allowed.email && !view.emailLocked ? (
          <TextField
            name="email"
            type="email"
            label={i.t('billing.email')}
            hint={i.t('billingForm.emailHint')}
            value={values.email}
            autocomplete="email"
            spellcheck={false}
            errors={errors}
          />
        ) : null}
        {allowed.phone ? (
          <TextField
            name="phone"
            type="tel"
            label={i.t('billing.phone')}
            value={values.phone}
            autocomplete="tel"
            width="m"
            optional
            errors={errors}
          />
        ) : null}
        {allowed.address ? (
          <fieldset class="fieldset">
            <legend class="fieldset__legend">{i.t('billing.address')}</legend>
            <AddressFields
              prefix="address"
              value={values.address ?? {}}
              errors={errors}
              countries={view.countries}
            />
          </fieldset>
        ) : null}
        {allowed.shipping ? (
          <fieldset class="fieldset">
            <legend class="fieldset__legend">{i.t('billing.shipping')}</legend>
            <TextField
              name="shipping[name]"
              label={i.t('billingForm.shippingName')}
              value={values.shipping?.name}
              autocomplete="shipping name"
              errors={errors}
            />
            <AddressFields
              prefix="shipping[address]"
              value={values.shipping?.address ?? {}}
              errors={errors}
              countries={view.countries}
            />
            <TextField
              name="shipping[phone]"
              type="tel"
              label={i.t('billing.phone')}
              value={values.shipping?.phone}
              autocomplete="shipping tel"
              width="m"
              optional
              errors={errors}
            />
          </fieldset>
        ) : null}
        {allowed.taxIds ? <TaxIds view={view} /> : null}
        <div class="form__actions">
          <Button name="_action" value="save">
            {i.t('billingForm.save')}
          </Button>
          <Link href={view.cancelUrl} class="action-link">
            {i.t('common.cancel')}
          </Link>
        </div>
      </PostForm>
      {/* Each remove button belongs to its own form, so Enter in a field still saves the main one. */}
      {allowed.taxIds
        ? (values.taxIds ?? []).map((tax) => (
            <PostForm
              key={tax.id}
              action={view.action}
              csrfToken={view.csrfToken}
              id={removeFormId(tax.id)}
            />
          ))
        : null}
    </Layout>
  );
}

export const renderBillingInfoPage = (view: BillingInfoView): string =>
  renderDocument(<BillingInfoPage view={view} />);
