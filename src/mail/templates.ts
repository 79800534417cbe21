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

const TEMPLATES: { [T in MailTemplate]: (i: I18n, args: MailArgs[T]) => RenderedMail } = {
  login_code: loginCode,
};

/** Renders a queued mail in its locale (English for a locale no longer known). */
export function renderMail(template: string, locale: string, data: string): RenderedMail {
  const render = TEMPLATES[template as MailTemplate];
  if (!render) throw new Error(`unknown mail template ${template}`);
  const lang: UiLocale = isUiLocale(locale) ? locale : 'en';
  return render(i18n(lang), JSON.parse(data));
}
