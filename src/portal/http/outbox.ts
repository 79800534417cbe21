import type { FastifyInstance, FastifyReply } from 'fastify';
import { testModeMail, testModeMails } from '../../mail/outbox.ts';
import { renderMail } from '../../mail/templates.ts';
import { type PortalDeps, sendNotFound } from './core.ts';
import { newNonce, securityHeaders } from './security.ts';

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain developer page (English only: it is a tool for whoever runs the server, not a customer). */
function sendDevPage(reply: FastifyReply, deps: PortalDeps, title: string, body: string) {
  const nonce = newNonce();
  securityHeaders(reply, nonce, deps.frameAncestors);
  const style = `body{font:15px/1.5 system-ui,sans-serif;max-width:860px;margin:24px auto;padding:0 16px;color:#1f2328}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:6px 8px;border-bottom:1px solid #e1e4e8;vertical-align:top}
pre{white-space:pre-wrap;background:#f4f5f7;padding:12px;border-radius:6px}.note{color:#57606a}`;
  return reply
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style nonce="${nonce}">${style}</style></head><body><main>${body}</main></body></html>`,
    );
}

/**
 * The development outbox, served only when no SMTP server is configured: the test-mode mails
 * Portico would have sent, so a sign-in code can be read without a mail server.
 */
export function registerOutboxRoutes(app: FastifyInstance, deps: PortalDeps): void {
  const db = deps.operations.store.read;

  app.get('/p/outbox', async (_request, reply) => {
    const mails = await testModeMails(db);
    const rows = mails
      .map((m) => {
        const { subject } = renderMail(m.template, m.locale, m.data);
        const when = new Date(m.created * 1000).toISOString().replace('T', ' ').slice(0, 19);
        return `<tr><td>${when}</td><td>${escapeHtml(m.recipient)}</td><td><a href="/p/outbox/${m.id}">${escapeHtml(subject)}</a></td><td>${m.status}</td></tr>`;
      })
      .join('');
    return sendDevPage(
      reply,
      deps,
      'Outbox',
      `<h1>Outbox</h1><p class="note">Test-mode mails, newest first. Set PORTICO_SMTP_URL to send mail for real; this page then goes away.</p>${
        rows
          ? `<table><thead><tr><th>Queued (UTC)</th><th>To</th><th>Subject</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table>`
          : '<p>No mail yet.</p>'
      }`,
    );
  });

  app.get<{ Params: { id: string } }>('/p/outbox/:id', async (request, reply) => {
    const mail = await testModeMail(db, request.params.id);
    if (!mail) return sendNotFound(request, reply, deps);
    const rendered = renderMail(mail.template, mail.locale, mail.data);
    return sendDevPage(
      reply,
      deps,
      rendered.subject,
      `<p><a href="/p/outbox">Outbox</a></p><h1>${escapeHtml(rendered.subject)}</h1><p>To: ${escapeHtml(mail.recipient)} · ${mail.locale} · ${mail.status} · <a href="/p/outbox/${mail.id}/html">HTML part</a></p><pre>${escapeHtml(rendered.text)}</pre>`,
    );
  });

  // The HTML part as a mail client would show it: its own inline styles, nothing else.
  app.get<{ Params: { id: string } }>('/p/outbox/:id/html', async (request, reply) => {
    const mail = await testModeMail(db, request.params.id);
    if (!mail) return sendNotFound(request, reply, deps);
    return reply
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(renderMail(mail.template, mail.locale, mail.data).html);
  });
}
