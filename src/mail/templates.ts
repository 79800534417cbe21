import { isUiLocale, type UiLocale } from '../portal/ui/i18n/locale.ts';
import { type I18n, i18n } from '../portal/ui/i18n/messages.ts';
import type { MailArgs, MailTemplate } from './outbox.ts';

/** A mail ready to send: both parts say the same; HTML clients show the second. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Branding colours come from the account; only a plain hex colour reaches the markup. */
const colour = (value: string | null) => (value && /^#[0-9a-fA-F]{6}$/.test(value) ? value : '#1a1a2e');

/**
 * The HTML part: one centred card under the business's name, in tables and inline styles because
 * mail clients ignore style sheets, and nothing loaded from elsewhere.
 */
function htmlDocument(i: I18n, business: string, accent: string, subject: string, body: string): string {
  return `<!doctype html>
<html lang="${i.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;font-family:-apple-system,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;color:#1f2328">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7"><tr><td align="center" style="padding:32px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:520px;background:#ffffff;border-radius:8px;overflow:hidden;border:1px solid #e1e4e8">
<tr><td style="background:${accent};padding:18px 28px;color:#ffffff;font-size:18px;font-weight:600">${escapeHtml(business)}</td></tr>
<tr><td style="padding:28px;font-size:16px;line-height:1.5">${body}</td></tr>
</table></td></tr></table></body></html>`;
}

function loginCode(i: I18n, a: MailArgs['login_code']): RenderedMail {
  const subject = i.t('mail.loginCode.subject', { business: a.business });
  const intro = i.t('mail.loginCode.intro', { business: a.business });
  const expiry = i.t('mail.loginCode.expiry', { minutes: a.minutes });
  const ignore = i.t('mail.loginCode.ignore');
  const text = `${intro}\n\n    ${a.code}\n\n${expiry}\n\n${ignore}\n\n-- \n${a.business}\n`;
  const body = `<p style="margin:0 0 20px">${escapeHtml(intro)}</p>
<p style="margin:0 0 20px;font-family:'SFMono-Regular',Menlo,Consolas,monospace;font-size:32px;font-weight:700;letter-spacing:8px;text-align:center;background:#f4f5f7;border-radius:6px;padding:14px 0">${escapeHtml(a.code)}</p>
<p style="margin:0 0 12px">${escapeHtml(expiry)}</p>
<p style="margin:0;color:#57606a;font-size:14px">${escapeHtml(ignore)}</p>`;
  return { subject, text, html: htmlDocument(i, a.business, colour(a.primaryColor), subject, body) };
}

/** A paragraph of the HTML part; `muted` for the small print. */
const para = (text: string, muted = false) =>
  `<p style="margin:0 0 16px${muted ? ';color:#57606a;font-size:14px' : ''}">${escapeHtml(text)}</p>`;

/** A link drawn as a button (a table cell, which every mail client pads and colours). */
const button = (label: string, href: string, accent: string) =>
  `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:8px 0 20px"><tr><td style="background:${accent};border-radius:6px"><a href="${escapeHtml(href)}" style="display:inline-block;padding:12px 22px;color:#ffffff;font-weight:600;text-decoration:none">${escapeHtml(label)}</a></td></tr></table>`;

const textLink = (label: string, href: string) => `${label}:\n${href}`;

/** Assembles both parts from the same blocks: paragraphs, and links shown as buttons in HTML. */
function compose(
  i: I18n,
  a: { business: string; primaryColor: string | null },
  subject: string,
  blocks: ({ p: string; muted?: boolean } | { link: string; href: string })[],
): RenderedMail {
  const accent = colour(a.primaryColor);
  const text = blocks.map((b) => ('p' in b ? b.p : textLink(b.link, b.href))).join('\n\n');
  const body = blocks.map((b) => ('p' in b ? para(b.p, b.muted) : button(b.link, b.href, accent))).join('\n');
  return {
    subject,
    text: `${text}\n\n-- \n${a.business}\n`,
    html: htmlDocument(i, a.business, accent, subject, body),
  };
}

function invoiceMail(i: I18n, a: MailArgs['invoice']): RenderedMail {
  const amount = i.money({ amount: a.amount, currency: a.currency });
  return compose(i, a, i.t('mail.invoice.subject', { number: a.number, business: a.business }), [
    { p: i.t('mail.invoice.intro', { business: a.business, number: a.number, amount }) },
    ...(a.dueDate === null ? [] : [{ p: i.t('mail.invoice.due', { date: i.date(a.dueDate) }) }]),
    { link: i.t('mail.invoice.pay'), href: a.hostedUrl },
    { link: i.t('mail.invoice.pdf'), href: a.pdfUrl },
  ]);
}

function receiptMail(i: I18n, a: MailArgs['receipt']): RenderedMail {
  const amount = i.money({ amount: a.amount, currency: a.currency });
  return compose(
    i,
    a,
    i.t('mail.receipt.subject', { receiptNumber: a.receiptNumber, business: a.business }),
    [
      { p: i.t('mail.receipt.intro', { amount, date: i.date(a.paidAt) }) },
      { p: i.t('mail.receipt.invoice', { number: a.number }) },
      ...(a.last4 === null ? [] : [{ p: i.t('mail.receipt.card', { last4: a.last4 }) }]),
      { link: i.t('mail.receipt.view'), href: a.hostedUrl },
    ],
  );
}

function paymentFailedMail(i: I18n, a: MailArgs['payment_failed']): RenderedMail {
  const amount = i.money({ amount: a.amount, currency: a.currency });
  return compose(i, a, i.t('mail.paymentFailed.subject', { business: a.business }), [
    { p: i.t('mail.paymentFailed.intro', { amount, number: a.number }) },
    ...(a.last4 === null ? [] : [{ p: i.t('mail.paymentFailed.card', { last4: a.last4 }) }]),
    { p: i.t('mail.paymentFailed.action') },
    { link: i.t('mail.paymentFailed.button'), href: a.link },
    { p: i.t('mail.link.expiry', { date: i.date(a.linkExpiresAt) }), muted: true },
  ]);
}

function trialEndingMail(i: I18n, a: MailArgs['trial_ending']): RenderedMail {
  const date = i.date(a.trialEnd);
  return compose(i, a, i.t('mail.trialEnding.subject', { business: a.business, date }), [
    { p: i.t('mail.trialEnding.intro', { business: a.business, date }) },
    { p: i.t('mail.trialEnding.next') },
    { link: i.t('mail.trialEnding.button'), href: a.link },
    { p: i.t('mail.link.expiry', { date: i.date(a.linkExpiresAt) }), muted: true },
  ]);
}

const TEMPLATES: { [T in MailTemplate]: (i: I18n, args: MailArgs[T]) => RenderedMail } = {
  login_code: loginCode,
  invoice: invoiceMail,
  receipt: receiptMail,
  payment_failed: paymentFailedMail,
  trial_ending: trialEndingMail,
};

/** Renders a queued mail in its locale (English for a locale no longer known). */
export function renderMail(template: string, locale: string, data: string): RenderedMail {
  const render = TEMPLATES[template as MailTemplate];
  if (!render) throw new Error(`unknown mail template ${template}`);
  const lang: UiLocale = isUiLocale(locale) ? locale : 'en';
  return render(i18n(lang), JSON.parse(data));
}
