import { type ComponentChildren, createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { type I18n, isMessageKey, type MessageKey } from '../i18n/messages.ts';
import type { FieldError } from './chrome.ts';
import { fieldId, safeHref } from './urls.ts';

export const I18nContext = createContext<I18n | null>(null);

/** The page's language, set once by the layout. */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('portal component rendered outside its layout');
  return value;
}

/** The label key of a form field by its last name segment (`shipping[address][city]` → city). */
const FIELD_LABELS: Record<string, MessageKey> = {
  name: 'billing.name',
  email: 'billing.email',
  phone: 'billing.phone',
  country: 'address.country',
  line1: 'address.line1',
  line2: 'address.line2',
  city: 'address.city',
  state: 'address.state.other',
  postal_code: 'address.postal.other',
  number: 'card.number',
  exp: 'card.expiry',
  cvc: 'card.cvc',
  type: 'billingForm.taxIds.type',
  value: 'billingForm.taxIds.value',
  payment_method: 'hostedInvoice.chooseMethod',
};

/** A field's label for messages that name it ("Postal code is required."). */
export function fieldLabel(i: I18n, name: string | null | undefined): string {
  const last = name?.match(/([a-z0-9_]+)\]?$/i)?.[1] ?? '';
  const key = FIELD_LABELS[last];
  return key ? i.t(key) : i.t('errors.thisField');
}

/**
 * The words of an error: its own (already localized) message, else its code's message naming the
 * field by `label` (the label the form shows) or by the usual label of its name, else the
 * generic line.
 */
export function errorText(i: I18n, error: FieldError, label?: string): string {
  if (error.message) return error.message;
  const key = `errors.${error.code ?? ''}`;
  return i.t(isMessageKey(key) ? key : 'errors.generic', { field: label ?? fieldLabel(i, error.field) });
}

/** The first error about a field, if any. */
export function errorFor(errors: readonly FieldError[] | undefined, name: string): FieldError | undefined {
  return errors?.find((e) => e.field === name);
}

export type Tone = 'success' | 'info' | 'warning' | 'danger' | 'neutral';

export function Badge(props: { tone: Tone; children: ComponentChildren }) {
  return <span class={`badge badge--${props.tone}`}>{props.children}</span>;
}

/** Text only screen readers hear. */
export function Hidden(props: { children: ComponentChildren }) {
  return <span class="visually-hidden">{props.children}</span>;
}

/** A link that is shown only when its URL passes `safeHref`. */
export function Link(props: {
  href: string | null | undefined;
  class?: string;
  children: ComponentChildren;
  rel?: string;
}) {
  const href = safeHref(props.href);
  if (!href) return null;
  return (
    <a href={href} class={props.class} rel={props.rel}>
      {props.children}
    </a>
  );
}

/** "← Back" above a page's heading. */
export function BackLink(props: { href: string | null | undefined; children?: ComponentChildren }) {
  const i = useI18n();
  const href = safeHref(props.href);
  if (!href) return null;
  return (
    <a href={href} class="back-link">
      <span aria-hidden="true">← </span>
      {props.children ?? i.t('common.back')}
    </a>
  );
}

/**
 * A form that posts with its CSRF token. `novalidate`: the server checks every field and shows its
 * errors the same way for every browser, so the browser's own bubbles stay out of the way.
 */
export function PostForm(props: {
  action: string;
  csrfToken: string;
  class?: string;
  children?: ComponentChildren;
  id?: string;
}) {
  return (
    <form method="post" action={safeHref(props.action) ?? ''} class={props.class} id={props.id} novalidate>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      {props.children}
    </form>
  );
}

export type ButtonKind = 'primary' | 'secondary' | 'danger' | 'link';

export function Button(props: {
  kind?: ButtonKind;
  name?: string;
  value?: string;
  children: ComponentChildren;
  form?: string;
}) {
  return (
    <button
      type="submit"
      class={`button button--${props.kind ?? 'primary'}`}
      name={props.name}
      value={props.value}
      form={props.form}
    >
      {props.children}
    </button>
  );
}

/** A link styled as a button (a GET to another page). */
export function ButtonLink(props: {
  href: string | null | undefined;
  kind?: ButtonKind;
  children: ComponentChildren;
}) {
  return (
    <Link href={props.href} class={`button button--${props.kind ?? 'secondary'}`}>
      {props.children}
    </Link>
  );
}

/**
 * The GOV.UK error summary: first on the page, focused on load (`autofocus`, no script needed),
 * announced as an alert, one link per field in error.
 */
export function ErrorSummary(props: {
  errors: readonly FieldError[] | undefined;
  /** Labels of fields whose label depends on the form (an address's "ZIP code"), by name. */
  labels?: Record<string, string>;
}) {
  const i = useI18n();
  const errors = props.errors ?? [];
  if (errors.length === 0) return null;
  return (
    <div
      class="error-summary"
      role="alert"
      aria-labelledby="error-summary-title"
      tabindex={-1}
      autofocus
      data-error-summary
    >
      <h2 id="error-summary-title" class="error-summary__title">
        {i.t('errors.summary.title')}
      </h2>
      <ul class="error-summary__list">
        {errors.map((error) => (
          <li key={`${error.field ?? ''}:${error.code ?? ''}`}>
            {error.field ? (
              <a href={`#${fieldId(error.field)}`}>{errorText(i, error, props.labels?.[error.field])}</a>
            ) : (
              errorText(i, error)
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A notice after a successful action, e.g. "Your card was added". */
export function Notice(props: { tone?: 'success' | 'info' | 'warning'; children: ComponentChildren }) {
  return (
    <div class={`notice notice--${props.tone ?? 'success'}`} role="status">
      {props.children}
    </div>
  );
}

interface FieldBase {
  name: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  errors?: readonly FieldError[];
  /** Visible "(optional)" after the label. */
  optional?: boolean;
  /** Width class: `s` (CVC, postcode), `m` (expiry, phone), `l` (default, full width). */
  width?: 's' | 'm' | 'l';
  /** Extra attributes for scripts that enhance the field (`data-*`). */
  data?: Record<string, string>;
}

function FieldShell(props: FieldBase & { children: (describedBy: string | undefined) => ComponentChildren }) {
  const i = useI18n();
  const id = fieldId(props.name);
  const error = errorFor(props.errors, props.name);
  const describedBy =
    [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label class="field__label" for={id} id={`${id}-label`}>
        {props.label}
        {props.optional ? <span class="field__optional"> {i.t('common.optional')}</span> : null}
      </label>
      {props.hint ? (
        <p class="field__hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {error ? (
        <p class="field__error" id={`${id}-error`}>
          <Hidden>{i.t('errors.prefix')} </Hidden>
          {errorText(i, error, typeof props.label === 'string' ? props.label : undefined)}
        </p>
      ) : null}
      {props.children(describedBy)}
    </div>
  );
}

export function TextField(
  props: FieldBase & {
    value?: string | null;
    type?: 'text' | 'email' | 'tel';
    autocomplete?: string;
    inputmode?: 'numeric' | 'text' | 'email' | 'tel';
    spellcheck?: boolean;
    maxlength?: number;
    placeholder?: string;
  },
) {
  const invalid = Boolean(errorFor(props.errors, props.name));
  return (
    <FieldShell {...props}>
      {(describedBy) => (
        <input
          class={`input input--${props.width ?? 'l'}`}
          id={fieldId(props.name)}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.value || undefined}
          autocomplete={props.autocomplete}
          inputmode={props.inputmode}
          spellcheck={props.spellcheck}
          maxlength={props.maxlength}
          placeholder={props.placeholder}
          aria-describedby={describedBy}
          aria-invalid={invalid ? 'true' : undefined}
          {...dataAttributes(props.data)}
        />
      )}
    </FieldShell>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField(
  props: FieldBase & {
    value?: string | null;
    options: readonly Option[];
    autocomplete?: string;
    placeholder?: string;
  },
) {
  const invalid = Boolean(errorFor(props.errors, props.name));
  return (
    <FieldShell {...props}>
      {(describedBy) => (
        <select
          class={`select input--${props.width ?? 'l'}`}
          id={fieldId(props.name)}
          name={props.name}
          autocomplete={props.autocomplete}
          aria-describedby={describedBy}
          aria-invalid={invalid ? 'true' : undefined}
          {...dataAttributes(props.data)}
        >
          {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
          {props.options.map((o) => (
            <option key={o.value} value={o.value} selected={o.value === (props.value ?? '')}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

function dataAttributes(data: Record<string, string> | undefined): Record<string, string> {
  if (!data) return {};
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, v]));
}

/** A titled section of a page, labelled by its heading. */
export function Section(props: {
  id: string;
  title: ComponentChildren;
  action?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <section class="section" aria-labelledby={`${props.id}-title`}>
      <div class="section__head">
        <h2 class="section__title" id={`${props.id}-title`}>
          {props.title}
        </h2>
        {props.action ? <div class="section__action">{props.action}</div> : null}
      </div>
      {props.children}
    </section>
  );
}

/** Label/value rows (`<dl>`), for summaries. */
export function SummaryList(props: {
  rows: readonly { label: ComponentChildren; value: ComponentChildren }[];
}) {
  return (
    <dl class="summary">
      {props.rows.map((row, index) => (
        <div class="summary__row" key={index}>
          <dt class="summary__label">{row.label}</dt>
          <dd class="summary__value">{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Lines of text, one per line, with no HTML. */
export function Lines(props: { lines: readonly string[] }) {
  return (
    <>
      {props.lines.map((line, index) => (
        <span class="line" key={index}>
          {line}
        </span>
      ))}
    </>
  );
}
