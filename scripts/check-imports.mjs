// Checks the import graph of src/: no cycles (type-only imports count too) and the layering
// rules below. Run by `npm run lint`; exits non-zero and lists every problem found.
//
//   node scripts/check-imports.mjs [dir]      (dir: src by default)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const SOURCE = /\.(ts|mts|cts|tsx)$/;

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Every module a file names: import and export declarations (`import type` included), `import x =
 * require()`, dynamic `import()` and `import('…').T` types. `typeOnly` is true when nothing of the
 * import exists at run time.
 */
export function importsOf(path, text = readFileSync(path, 'utf8')) {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const add = (node, typeOnly) => {
    if (node && ts.isStringLiteralLike(node)) {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
      found.push({ specifier: node.text, typeOnly, line: line + 1 });
    }
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (!clause.name &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      const typeOnly =
        node.isTypeOnly ||
        (node.exportClause !== undefined &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.length > 0 &&
          node.exportClause.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** A relative specifier as the file it names, or undefined for a package or a missing file. */
function resolveLocal(from, specifier, known) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => known.has(c));
}

/** Strongly connected components of more than one file, or of one file importing itself. */
function cycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const connect = (v) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) found.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return found;
}

/** One shortest loop through `start` inside a component, as a readable path. */
function loopThrough(graph, component, start) {
  const inside = new Set(component);
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = previous.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/**
 * Layering: only the transports (api/ and the portal's portal/http/, with app.ts, main.ts and
 * cli/ that assemble and run them) may use Fastify; only the API side imports from api/; the
 * billing maths (billing/math/) imports only types, other maths, the pure coded errors and limits.
 */
const PURE_FOR_MATH = new Set(['core/errors.ts', 'core/error-codes.ts', 'core/limits.ts']);

function layeringProblems(name, imports, resolved, root) {
  const problems = [];
  const assembly = name === 'app.ts' || name === 'main.ts' || name.startsWith('cli/');
  const api = name.startsWith('api/') || assembly;
  const http = api || name.startsWith('portal/http/');
  const math = name.startsWith('billing/math/');
  imports.forEach((imp, i) => {
    const target = resolved[i];
    const targetName = target && relative(root, target).split(sep).join('/');
    const where = `${name}:${imp.line}`;
    if (!http && (imp.specifier === 'fastify' || imp.specifier.startsWith('@fastify/'))) {
      problems.push(
        `${where}: imports ${imp.specifier}; only api/, portal/http/, app.ts, main.ts and cli/ may`,
      );
    }
    if (!api && targetName?.startsWith('api/')) {
      problems.push(`${where}: imports ${targetName}; only api/, app.ts, main.ts and cli/ may`);
    }
    if (math && !imp.typeOnly && !targetName?.startsWith('billing/math/') && !PURE_FOR_MATH.has(targetName)) {
      problems.push(`${where}: imports ${imp.specifier}; billing/math/ imports only types and other maths`);
    }
  });
  return problems;
}

/** Every problem in the import graph of the files under `dir`, as lines to print. */
export function checkImports(dir) {
  const root = resolve(dir);
  const files = sourceFiles(root).sort();
  const known = new Set(files);
  const graph = new Map();
  const problems = [];
  for (const file of files) {
    const imports = importsOf(file);
    const resolved = imports.map((imp) => resolveLocal(file, imp.specifier, known));
    graph.set(file, new Set(resolved.filter((r) => r !== undefined)));
    problems.push(...layeringProblems(relative(root, file).split(sep).join('/'), imports, resolved, root));
  }
  for (const component of cycles(graph)) {
    const start = component.sort()[0];
    const loop = loopThrough(graph, component, start).map((f) => relative(root, f).split(sep).join('/'));
    const more = component.length > loop.length - 1 ? ` (${component.length} files in the cycle)` : '';
    problems.push(`import cycle: ${loop.join(' -> ')}${more}`);
  }
  return problems;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
  const problems = checkImports(dir);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`check-imports: ${problems.length} problem(s)`);
    process.exit(1);
  }
  console.log('check-imports: no cycles, layering respected');
}
