import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { apiRenderings, renderApiError } from '../../src/api/error-messages.ts';
import { fail } from '../../src/core/errors.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

test('every code thrown in src/ has an API rendering', () => {
  const thrown = new Set<string>();
  for (const file of sources('src')) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:fail|new AppError)\(\s*'([a-z0-9_]+)'/g))
      thrown.add(m[1]!);
  }
  assert.ok(thrown.size > 10, 'the scan finds the codes thrown');
  const missing = [...thrown].filter((code) => !(code in apiRenderings));
  assert.deepEqual(missing, []);
});

test('a code renders as Stripe JSON: type, code, param and message', () => {
  const wire = renderApiError(fail('parameter_missing', {}, 'items[0][price]'));
  assert.equal(wire.status, 400);
  assert.deepEqual(wire.body, {
    type: 'invalid_request_error',
    message: 'Missing required param: items[0][price].',
    code: 'parameter_missing',
    param: 'items[0][price]',
  });
  const missing = renderApiError(
    fail('resource_missing', { kind: 'customer', id: 'cus_1', otherMode: 'live' }, 'id'),
  );
  assert.equal(missing.status, 404);
  assert.equal(
    missing.body.message,
    "No such customer: 'cus_1'; a similar object exists in live mode, but a test mode key was used to make this request.",
  );
  const busy = renderApiError(fail('lock_timeout', {}));
  assert.deepEqual([busy.status, busy.shouldRetry, busy.body.code], [429, true, 'lock_timeout']);
});
