import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkImports } from '../../scripts/check-imports.mjs';

/** scripts/check-imports.mjs (run by `npm run lint`) on small source trees written here. */

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'portico-imports-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** The problems found, and the exit code of the command `npm run lint` runs. */
function check(root: string): { status: number | null; problems: string[] } {
  const problems = checkImports(root);
  return { status: problems.length === 0 ? 0 : 1, problems };
}

describe('the import check', () => {
  test('a tree without cycles or layering faults passes', () => {
    const root = tree({
      'core/a.ts': 'export const a = 1;\n',
      'billing/math/m.ts':
        "import type { A } from '../../core/types.ts';\nimport { n } from './n.ts';\nexport const m = n;\n",
      'billing/math/n.ts': 'export const n = 2;\n',
      'core/types.ts': 'export type A = number;\n',
      'api/server.ts':
        "import Fastify from 'fastify';\nimport { a } from '../core/a.ts';\nexport const s = [Fastify, a];\n",
      'app.ts': "import { s } from './api/server.ts';\nexport const app = s;\n",
    });
    assert.deepEqual(check(root), { status: 0, problems: [] });
  });

  test('a cycle is refused, even through a type-only import', () => {
    const root = tree({
      'store/a.ts': "import { b } from './b.ts';\nexport type A = { b: typeof b };\n",
      'store/b.ts': "import type { A } from './a.ts';\nexport const b: A | undefined = undefined;\n",
    });
    const { status, problems } = check(root);
    assert.equal(status, 1);
    assert.deepEqual(problems, ['import cycle: store/a.ts -> store/b.ts -> store/a.ts']);
  });

  test('a longer cycle and a file that imports itself are found too', () => {
    const root = tree({
      'a.ts': "export * from './b.ts';\n",
      'b.ts': "export type { C } from './c.ts';\n",
      'c.ts': "export type C = import('./a.ts').X;\nexport type X = 1;\n",
      'self.ts': "import type { S } from './self.ts';\nexport type S = 1 | S[];\n",
    });
    const { status, problems } = check(root);
    assert.equal(status, 1);
    assert.deepEqual(problems.sort(), [
      'import cycle: a.ts -> b.ts -> c.ts -> a.ts',
      'import cycle: self.ts -> self.ts',
    ]);
  });

  test('Fastify outside the transports, api/ outside the API side, and values into billing/math/ (but the pure coded errors) are refused', () => {
    const root = tree({
      'api/form.ts': 'export const decode = 1;\n',
      'files/upload.ts':
        "import type { FastifyRequest } from 'fastify';\nimport { decode } from '../api/form.ts';\nexport type R = FastifyRequest | typeof decode;\n",
      'billing/math/x.ts': "import { a } from '../../core/a.ts';\nexport const x = a;\n",
      'core/a.ts': 'export const a = 1;\n',
      'cli/listen.ts': "import { decode } from '../api/form.ts';\nexport const l = decode;\n",
      'portal/http/page.ts':
        "import type { FastifyReply } from 'fastify';\nimport { decode } from '../../api/form.ts';\nexport type P = FastifyReply | typeof decode;\n",
      'billing/math/y.ts': "import { fail } from '../../core/errors.ts';\nexport const y = fail;\n",
      'core/errors.ts': 'export const fail = 1;\n',
    });
    const { status, problems } = check(root);
    assert.equal(status, 1);
    assert.deepEqual(problems, [
      'billing/math/x.ts:1: imports ../../core/a.ts; billing/math/ imports only types and other maths',
      'files/upload.ts:1: imports fastify; only api/, portal/http/, app.ts, main.ts and cli/ may',
      'files/upload.ts:2: imports api/form.ts; only api/, app.ts, main.ts and cli/ may',
      'portal/http/page.ts:2: imports api/form.ts; only api/, app.ts, main.ts and cli/ may',
    ]);
  });

  test("the command fails on a problem and passes on Portico's own sources", () => {
    const cycle = tree({ 'a.ts': "import './b.ts';\n", 'b.ts': "import './a.ts';\n" });
    const run = (dir: string) =>
      spawnSync(process.execPath, ['scripts/check-imports.mjs', dir], { encoding: 'utf8' });
    const failed = run(cycle);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /import cycle: a\.ts -> b\.ts -> a\.ts/);
    assert.equal(run('src').status, 0);
  });
});
