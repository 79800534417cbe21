// Runs the whole suite on SQLite, then again on PostgreSQL when PORTICO_TEST_DATABASE_URL is set.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const filter = process.argv.slice(2);
const files = testFiles('test')
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
const postgres = process.env.PORTICO_TEST_DATABASE_URL;
const runs = [['SQLite', { ...process.env, PORTICO_TEST_DATABASE_URL: '' }]];
if (postgres) runs.push(['PostgreSQL', { ...process.env, PORTICO_TEST_DATABASE_URL: postgres }]);

// Property tests draw from one seed (test/support/property-seed.ts): fixed, or PORTICO_TEST_SEED.
const seed = process.env.PORTICO_TEST_SEED ?? '20261028';
console.log(`fast-check seed: ${seed} (PORTICO_TEST_SEED=${seed} reproduces this run)`);

let failed = false;
for (const [name, env] of runs) {
  console.log(`\n=== test suite on ${name} (${files.length} files) ===`);
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './test/support/property-seed.ts',
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec',
      ...files,
    ],
    { stdio: 'inherit', env: { ...env, NODE_ENV: 'test', PORTICO_TEST_SEED: seed } },
  );
  if (result.status !== 0) {
    console.log(`=== ${name}: FAILED ===`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
