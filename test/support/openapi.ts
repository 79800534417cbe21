import { readFileSync } from 'node:fs';

/**
 * A checker for the subset of OpenAPI 3 schemas that Stripe's billing portal spec uses (`type`,
 * `nullable`, `enum`, `required`, `properties`, `additionalProperties`, `items`, `anyOf`, `$ref`),
 * run against the objects the API answers. Stricter than JSON Schema where it helps: a property
 * the schema does not declare is an error, and with `complete` every declared property must be
 * present (Stripe sends unset fields as null rather than leaving them out).
 */
interface Schema {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  anyOf?: Schema[];
  $ref?: string;
}

interface Spec {
  components: { schemas: Record<string, Schema> };
  'x-additions-2026-10-28-endive': Record<string, unknown>;
}

const spec = JSON.parse(
  readFileSync(new URL('../fixtures/openapi-billing-portal.json', import.meta.url), 'utf8'),
) as Spec;

/**
 * The spec file is Stripe's 2026-07-29 schema plus the fields stripe@23.1.0 adds for
 * 2026-10-28.endive, listed apart; they are merged here so the schemas describe the pinned version.
 */
function endiveSchemas(): Record<string, Schema> {
  const schemas = structuredClone(spec.components.schemas);
  const add = spec['x-additions-2026-10-28-endive'];
  const s = (name: string) => schemas[name]!;
  s('billing_portal.session').properties!.after_expiration = add[
    'billing_portal.session.after_expiration'
  ] as Schema;
  const flow = s('portal_flows_flow');
  flow.properties!.type!.enum = add['portal_flows_flow.type (2026-10-28)'] as string[];
  flow.properties!.customer_update = add['portal_flows_flow.customer_update'] as Schema;
  flow.properties!.subscription_pause = add['portal_flows_flow.subscription_pause'] as Schema;
  const features = s('portal_features');
  features.properties!.subscription_pause = add['portal_features.subscription_pause'] as Schema;
  features.required!.push('subscription_pause');
  s('portal_subscription_cancellation_reason').properties!.feedback_options = add[
    'portal_subscription_cancellation_reason.feedback_options'
  ] as Schema;
  schemas['billing.feedback_option'] = add['billing.feedback_option'] as Schema;
  return schemas;
}

const schemas = endiveSchemas();

/** Properties that stripe@23.1.0 types as optional (`quantity?`): sent only when they have a value. */
const OMITTABLE = new Set(['portal_flows_subscription_update_confirm_item.quantity']);

function resolve(ref: string): [string, Schema] | undefined {
  const name = ref.replace('#/components/schemas/', '');
  const found = schemas[name];
  return found ? [name, found] : undefined;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

function check(value: unknown, schema: Schema, name: string, path: string, complete: boolean): string[] {
  if (schema.$ref) {
    const target = resolve(schema.$ref);
    if (!target) return [`${path}: ${schema.$ref} is not in the spec`];
    return check(value, target[1], target[0], path, complete);
  }
  if (value === null) return schema.nullable ? [] : [`${path}: null is not allowed`];
  if (schema.anyOf) {
    const attempts = schema.anyOf.map((option) => check(value, option, name, path, complete));
    if (attempts.some((errors) => errors.length === 0)) return [];
    return [`${path}: matches none of anyOf (${attempts.map((e) => e[0]).join('; ')})`];
  }
  if (schema.enum && !schema.enum.includes(value)) {
    return [`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
  }
  const actual = typeOf(value);
  if (schema.type && !(actual === schema.type || (schema.type === 'number' && actual === 'integer'))) {
    return [`${path}: expected ${schema.type}, got ${actual}`];
  }
  if (actual === 'array' && schema.items) {
    return (value as unknown[]).flatMap((item, i) =>
      check(item, schema.items!, name, `${path}[${i}]`, complete),
    );
  }
  if (actual !== 'object') return [];
  const object = value as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of schema.required ?? []) {
    if (!(key in object)) errors.push(`${path}.${key}: required but missing`);
  }
  const properties = schema.properties ?? {};
  for (const [key, child] of Object.entries(object)) {
    const declared = properties[key];
    if (declared) errors.push(...check(child, declared, name, `${path}.${key}`, complete));
    else if (typeof schema.additionalProperties === 'object') {
      errors.push(...check(child, schema.additionalProperties, name, `${path}.${key}`, complete));
    } else if (schema.additionalProperties !== true) errors.push(`${path}.${key}: not in the schema`);
  }
  if (complete) {
    for (const key of Object.keys(properties)) {
      if (!(key in object) && !OMITTABLE.has(`${name}.${key}`)) errors.push(`${path}.${key}: absent`);
    }
  }
  return errors;
}

/** The problems of `value` against the named component schema; empty when it conforms. */
export function schemaErrors(name: string, value: unknown, options: { complete?: boolean } = {}): string[] {
  const schema = schemas[name];
  if (!schema) throw new Error(`no schema ${name} in the spec`);
  return check(value, schema, name, name, options.complete ?? true);
}

/** Fails with every problem listed when `value` does not conform to the named schema. */
export function assertConforms(name: string, value: unknown): void {
  const errors = schemaErrors(name, value);
  if (errors.length > 0)
    throw new Error(`${name} does not conform to the OpenAPI schema:\n${errors.join('\n')}`);
}
