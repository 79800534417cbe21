/**
 * `portico demo`: a demo business in one command. Seeds, through the API of a running Portico,
 * a branded business, a catalogue with monthly and yearly prices, a customer with a card, a
 * subscription (its first invoice paid), an open invoice and a portal configuration, then prints a
 * portal session URL. Everything goes through the public API, as an integration would.
 */

export interface DemoOptions {
  apiBase: string;
  apiKey: string;
  print: (line: string) => void;
}

type Params = Record<string, string | number | boolean | undefined>;

/** Stripe's form encoding for flat bracketed keys (`items[0][price]`). */
function form(params: Params): string {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) body.append(key, String(value));
  return body.toString();
}

async function post<T = { id: string }>(options: DemoOptions, path: string, params: Params = {}): Promise<T> {
  const response = await fetch(`${options.apiBase}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.apiKey}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: form(params),
  });
  const json = (await response.json()) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(`demo: POST ${path} failed: ${json.error?.message ?? response.status}`);
  return json;
}

export async function seedDemo(options: DemoOptions): Promise<string> {
  const account = await fetch(`${options.apiBase}/v1/account`, {
    headers: { authorization: `Bearer ${options.apiKey}` },
  }).then((r) => r.json() as Promise<{ id: string }>);
  await post(options, `/v1/accounts/${account.id}`, {
    'business_profile[name]': 'Acme Cloud',
    'business_profile[url]': 'https://acme.example',
    'business_profile[support_email]': 'billing@acme.example',
    'settings[branding][primary_color]': '#4f46e5',
    'settings[branding][secondary_color]': '#0f766e',
  });
  const plans: [string, string, number][] = [
    ['Starter', 'For side projects', 900],
    ['Pro', 'For growing teams', 2900],
  ];
  const monthly: string[] = [];
  // What the portal offers to switch between: each product with its monthly and yearly price.
  const offered: Record<string, string> = {};
  for (const [name, description, amount] of plans) {
    const product = await post(options, '/v1/products', { name, description });
    const month = await post(options, '/v1/prices', {
      product: product.id,
      currency: 'usd',
      unit_amount: amount,
      // A price with tax_behavior unspecified cannot be switched in the portal (as on Stripe).
      tax_behavior: 'exclusive',
      'recurring[interval]': 'month',
      lookup_key: `${name.toLowerCase()}_monthly_${Date.now()}`,
    });
    const year = await post(options, '/v1/prices', {
      product: product.id,
      currency: 'usd',
      unit_amount: amount * 10,
      tax_behavior: 'exclusive',
      'recurring[interval]': 'year',
    });
    monthly.push(month.id);
    const i = plans.findIndex(([n]) => n === name);
    offered[`features[subscription_update][products][${i}][product]`] = product.id;
    offered[`features[subscription_update][products][${i}][prices][0]`] = month.id;
    offered[`features[subscription_update][products][${i}][prices][1]`] = year.id;
  }
  const customer = await post(options, '/v1/customers', {
    name: 'Jenny Rosen',
    email: 'jenny.rosen@example.com',
    'address[line1]': '510 Townsend St',
    'address[city]': 'San Francisco',
    'address[state]': 'CA',
    'address[postal_code]': '94103',
    'address[country]': 'US',
  });
  const card = await post(options, '/v1/payment_methods/pm_card_visa/attach', { customer: customer.id });
  await post(options, `/v1/customers/${customer.id}`, {
    'invoice_settings[default_payment_method]': card.id,
  });
  await post(options, '/v1/subscriptions', { customer: customer.id, 'items[0][price]': monthly[1] });
  await post(options, '/v1/invoiceitems', {
    customer: customer.id,
    amount: 4500,
    currency: 'usd',
    description: 'Onboarding workshop',
  });
  const invoice = await post(options, '/v1/invoices', {
    customer: customer.id,
    collection_method: 'send_invoice',
    days_until_due: 14,
    pending_invoice_items_behavior: 'include',
  });
  await post(options, `/v1/invoices/${invoice.id}/finalize`);
  await post(options, '/v1/billing_portal/configurations', {
    'business_profile[headline]': 'Manage your Acme Cloud plan',
    'business_profile[privacy_policy_url]': 'https://acme.example/privacy',
    'business_profile[terms_of_service_url]': 'https://acme.example/terms',
    'features[invoice_history][enabled]': true,
    'features[payment_method_update][enabled]': true,
    'features[customer_update][enabled]': true,
    'features[customer_update][allowed_updates][0]': 'name',
    'features[customer_update][allowed_updates][1]': 'email',
    'features[customer_update][allowed_updates][2]': 'address',
    'features[customer_update][allowed_updates][3]': 'phone',
    'features[customer_update][allowed_updates][4]': 'tax_id',
    'features[subscription_update][enabled]': true,
    'features[subscription_update][default_allowed_updates][0]': 'price',
    'features[subscription_update][default_allowed_updates][1]': 'promotion_code',
    'features[subscription_update][proration_behavior]': 'create_prorations',
    ...offered,
    'features[subscription_cancel][enabled]': true,
    'features[subscription_cancel][mode]': 'at_period_end',
    'features[subscription_cancel][cancellation_reason][enabled]': true,
    'features[subscription_cancel][cancellation_reason][options][0]': 'too_expensive',
    'features[subscription_cancel][cancellation_reason][options][1]': 'missing_features',
    'features[subscription_cancel][cancellation_reason][options][2]': 'unused',
    'features[subscription_cancel][cancellation_reason][options][3]': 'other',
    'features[subscription_pause][enabled]': true,
  });
  const session = await post<{ url: string }>(options, '/v1/billing_portal/sessions', {
    customer: customer.id,
    return_url: 'https://acme.example/account',
  });
  return session.url;
}
