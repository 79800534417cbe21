import { createHmac } from 'node:crypto';

/**
 * Stripe's webhook signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with
 * the endpoint's `whsec_` secret. `t` is wall-clock time, whatever a test clock says, because the
 * receiving SDK checks it against its own clock.
 */
export function signatureHeader(body: string, secret: string, now = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
  return `t=${now},v1=${mac}`;
}
