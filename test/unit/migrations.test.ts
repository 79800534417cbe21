import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';

const DIR = join(import.meta.dirname, '../../src/store/migrations');
/** A migration file: three digits, a dash, a name. */
const MIGRATION_FILE = /^(\d{3})-[a-z0-9-]+\.ts$/;
/** The other files of the folder. */
const HELPERS = ['index.ts', 'shapes.ts'];

describe('the list of migrations', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));

  test('every file of the folder is a numbered migration or a helper', () => {
    assert.deepEqual(
      files.filter((f) => !MIGRATION_FILE.test(f) && !HELPERS.includes(f)),
      [],
      'migration files are named NNN-name.ts',
    );
  });

  test('lists every migration file once, in number order, under its file name', () => {
    const onDisk = files
      .filter((f) => MIGRATION_FILE.test(f))
      .sort()
      .map((f) => f.replace(/\.ts$/, ''));
    assert.deepEqual(
      MIGRATIONS.map(([name]) => name),
      onDisk,
    );
  });

  test('numbers are distinct and follow one another', () => {
    const numbers = MIGRATIONS.map(([name]) => Number(name.slice(0, 3)));
    assert.deepEqual(
      numbers,
      numbers.map((_, i) => i + 1),
    );
  });

  test("each name runs its own file's migration", async () => {
    for (const [name, migration] of MIGRATIONS) {
      const module = (await import(join(DIR, `${name}.ts`))) as Record<string, unknown>;
      assert.ok(Object.values(module).includes(migration), `${name} lists another file's migration`);
    }
  });
});
