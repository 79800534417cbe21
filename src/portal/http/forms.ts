import type { FastifyRequest } from 'fastify';

/** A decoded portal form: `address[line1]=…` becomes `{ address: { line1: … } }`. */
export type FormValues = { [name: string]: string | FormValues };

const MAX_FIELDS = 200;

/**
 * The fields of a form post (application/x-www-form-urlencoded, which the server hands over as
 * bytes). Bracketed names nest; a repeated name keeps its last value; anything odd is dropped
 * rather than refused, since the handlers check every value they use.
 */
export function formValues(request: FastifyRequest): FormValues {
  const body = request.body;
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  const values: FormValues = {};
  let count = 0;
  for (const [name, value] of new URLSearchParams(text)) {
    if (++count > MAX_FIELDS) break;
    const path = name.split(/\[|\]\[|\]$/).filter((part, i) => i === 0 || part !== '');
    if (
      path.length === 0 ||
      path.length > 4 ||
      path.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')
    )
      continue;
    let target: FormValues | undefined = values;
    for (const key of path.slice(0, -1)) {
      let next: string | FormValues | undefined = target[key];
      if (next === undefined) {
        next = {};
        target[key] = next;
      }
      target = typeof next === 'string' ? undefined : next;
      if (!target) break;
    }
    if (target) target[path.at(-1)!] = value;
  }
  return values;
}

/** A text field's value, trimmed; empty becomes undefined. */
export function text(values: FormValues | string | undefined, name?: string): string | undefined {
  const v = name === undefined ? values : typeof values === 'object' ? values[name] : undefined;
  if (typeof v !== 'string') return undefined;
  const trimmed = v.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function group(values: FormValues, name: string): FormValues {
  const v = values[name];
  return typeof v === 'object' ? v : {};
}
