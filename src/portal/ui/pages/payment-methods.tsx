import type { PaymentMethodView } from '../components/billing.tsx';
import { PaymentMethodSummary, paymentMethodName } from '../components/billing.tsx';
import { CardFields, type CardValues, TestCards } from '../components/card-fields.tsx';
import type { FieldError, PageChrome } from '../components/chrome.ts';
import { Layout } from '../components/layout.tsx';
import { BackLink, Button, ErrorSummary, Link, Notice, PostForm } from '../components/ui.tsx';
import type { Money } from '../i18n/format.ts';
import { i18n } from '../i18n/messages.ts';
import { renderDocument } from '../render.ts';

/**
 * Add a card. Posts `number`, `exp` ("MM / YY"), `cvc`, `postal_code`. Decline messages arrive in
 * `errors` already in the page's language (`message`), or as codes (`errors.<code>`).
 */
export interface AddCardView {
  page: PageChrome;
  csrfToken: string;
  action: string;
  cancelUrl?: string | null;
  values?: CardValues;
  errors?: FieldError[];
  /** The new card becomes the default for future invoices (said above the button). */
  becomesDefault?: boolean;
}

export function AddCardPage(props: { view: AddCardView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('addCard.title')}>
      <BackLink href={view.cancelUrl} />
      <ErrorSummary errors={view.errors} />
      <h1 class="page-title">{i.t('addCard.title')}</h1>
      {view.page.testMode ? <TestCards /> : null}
      <PostForm action={view.action} csrfToken={view.csrfToken} class="form">
        <CardFields values={view.values} errors={view.errors} />
        {view.becomesDefault ? <p class="muted">{i.t('addCard.becomesDefault')}</p> : null}
        <div class="form__actions">
          <Button>{i.t('addCard.submit')}</Button>
          <Link href={view.cancelUrl} class="action-link">
            {i.t('common.cancel')}
          </Link>
        </div>
      </PostForm>
    </Layout>
  );
}

export const renderAddCardPage = (view: AddCardView): string => renderDocument(<AddCardPage view={view} />);

/** Confirm the removal of a payment method (posts to `action`). */
export interface RemovePaymentMethodView {
  page: PageChrome;
  csrfToken: string;
  action: string;
  cancelUrl?: string | null;
  paymentMethod: PaymentMethodView;
  /**
   * Why it cannot be removed, when it cannot: the last method of a customer with an active
   * subscription. The page then explains and offers no remove button.
   */
  blocked?: 'last_with_active_subscription' | null;
  /** Where to add another method first (with `blocked`). */
  addUrl?: string | null;
  /** The card that becomes the default once this one (the default) is removed; null when none is left. */
  replacement?: PaymentMethodView | null;
  errors?: FieldError[];
}

export function RemovePaymentMethodPage(props: { view: RemovePaymentMethodView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const name = paymentMethodName(i, view.paymentMethod);
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('removeCard.title')}>
      <BackLink href={view.cancelUrl} />
      <ErrorSummary errors={view.errors} />
      <h1 class="page-title">{i.t('removeCard.title')}</h1>
      <div class="card">
        <PaymentMethodSummary pm={view.paymentMethod} />
      </div>
      {view.blocked ? (
        <>
          <Notice tone="warning">{i.t('removeCard.blockedLast')}</Notice>
          <div class="form__actions">
            {view.addUrl ? (
              <Link href={view.addUrl} class="button button--primary">
                {i.t('paymentMethods.add')}
              </Link>
            ) : null}
            <Link href={view.cancelUrl} class="action-link">
              {i.t('common.back')}
            </Link>
          </div>
        </>
      ) : (
        <PostForm action={view.action} csrfToken={view.csrfToken} class="form">
          <p>{i.t('removeCard.body', { card: name })}</p>
          {view.paymentMethod.isDefault ? (
            <p class="muted">
              {view.replacement
                ? i.t('removeCard.wasDefault', { card: paymentMethodName(i, view.replacement) })
                : i.t('removeCard.wasDefaultLast')}
            </p>
          ) : null}
          <div class="form__actions">
            <Button kind="danger">{i.t('removeCard.submit')}</Button>
            <Link href={view.cancelUrl} class="action-link">
              {i.t('removeCard.keep')}
            </Link>
          </div>
        </PostForm>
      )}
    </Layout>
  );
}

export const renderRemovePaymentMethodPage = (view: RemovePaymentMethodView): string =>
  renderDocument(<RemovePaymentMethodPage view={view} />);

/**
 * The 3D Secure challenge. Posts `outcome=complete` or `outcome=fail`; in live mode only the
 * first is offered (with a way back).
 */
export interface ThreeDSecureView {
  page: PageChrome;
  csrfToken: string;
  action: string;
  /** A payment (amount shown) or a card being saved (none). */
  amount?: Money | null;
  paymentMethod: PaymentMethodView;
  cancelUrl?: string | null;
}

export function ThreeDSecurePage(props: { view: ThreeDSecureView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const card = paymentMethodName(i, view.paymentMethod);
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('threeDS.title')}>
      <h1 class="page-title">{i.t('threeDS.title')}</h1>
      <div class="card challenge">
        <p>
          {view.amount
            ? i.t('threeDS.bodyPayment', {
                amount: i.money(view.amount),
                business: view.page.business.name,
                card,
              })
            : i.t('threeDS.bodySetup', { business: view.page.business.name, card })}
        </p>
        {view.page.testMode ? <p class="muted">{i.t('threeDS.testHint')}</p> : null}
        <PostForm action={view.action} csrfToken={view.csrfToken} class="form__actions">
          <Button name="outcome" value="complete">
            {i.t('threeDS.complete')}
          </Button>
          {view.page.testMode ? (
            <Button kind="secondary" name="outcome" value="fail">
              {i.t('threeDS.fail')}
            </Button>
          ) : (
            <Link href={view.cancelUrl} class="action-link">
              {i.t('common.cancel')}
            </Link>
          )}
        </PostForm>
      </div>
    </Layout>
  );
}

export const renderThreeDSecurePage = (view: ThreeDSecureView): string =>
  renderDocument(<ThreeDSecurePage view={view} />);
