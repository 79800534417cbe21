import type { Ctx } from '../core/context.ts';
import { errors, fail } from '../core/errors.ts';
import { findObject } from '../store/objects.ts';
import type { WireError } from './error-messages.ts';

/**
 * Publishable keys (`pk_`) are what Stripe.js holds in a browser: they reach only the endpoints
 * that declare they take one (a Route's `publishable`), and there only the object whose
 * `client_secret` the request carries. What they get back is the limited shape Stripe sends to
 * clients. Joining an endpoint is one line on its route: `publishable: 'payment_intents'`.
 */
export type PublishableTable = keyof typeof OBJECT_NAMES;

/** The objects a client secret opens, by store table, with their name in Stripe's messages. */
const OBJECT_NAMES = {
  setup_intents: 'SetupIntent',
  payment_intents: 'PaymentIntent',
} as const;

/** What a publishable key sees of each object, by its `object` field (as Stripe answers Stripe.js). */
const CLIENT_FIELDS: Record<string, readonly string[]> = {
  setup_intent: [
    'id',
    'object',
    'automatic_payment_methods',
    'cancellation_reason',
    'client_secret',
    'created',
    'description',
    'last_setup_error',
    'livemode',
    'next_action',
    'payment_method',
    'payment_method_configuration_details',
    'payment_method_types',
    'status',
    'usage',
  ],
  payment_intent: [
    'id',
    'object',
    'amount',
    'amount_details',
    'automatic_payment_methods',
    'canceled_at',
    'cancellation_reason',
    'capture_method',
    'client_secret',
    'confirmation_method',
    'created',
    'currency',
    'description',
    'last_payment_error',
    'livemode',
    'next_action',
    'payment_method',
    'payment_method_configuration_details',
    'payment_method_types',
    'processing',
    'receipt_email',
    'setup_future_usage',
    'shipping',
    'source',
    'status',
  ],
};

/**
 * A publishable key must send the `client_secret` of the object the path names. An object that
 * does not exist is left to the endpoint, which answers its own 404.
 */
export async function checkClientSecret(
  ctx: Ctx,
  table: PublishableTable,
  id: string | undefined,
  clientSecret: unknown,
): Promise<void> {
  if (typeof clientSecret !== 'string') throw errors.parameterMissing('client_secret');
  const object = id
    ? await findObject<{ client_secret?: string | null }>(ctx.db, table, ctx.scope, id)
    : undefined;
  if (object && object.client_secret !== clientSecret) {
    throw fail('client_secret_mismatch', { object: OBJECT_NAMES[table] }, 'client_secret');
  }
}

/** The object as a publishable key sees it: only the fields Stripe shows to clients. */
export function clientView(result: object): object {
  const fields = CLIENT_FIELDS[String((result as { object?: unknown }).object)];
  if (!fields) return result;
  const source = result as Record<string, unknown>;
  return Object.fromEntries(fields.filter((f) => f in source).map((f) => [f, source[f]]));
}

/** An error as a publishable key sees it: the intent it carries in the client shape too. */
export function clientError(wire: WireError): WireError {
  const body = { ...wire.body } as Record<string, unknown>;
  for (const field of ['setup_intent', 'payment_intent']) {
    const object = body[field];
    if (object && typeof object === 'object') body[field] = clientView(object);
  }
  return { ...wire, body: body as unknown as WireError['body'] };
}
