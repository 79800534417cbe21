// Bundles the server into dist/main.js (dependencies stay external): `npm start` runs the bundle,
// which starts faster and uses less memory than transpiling TypeScript at run time.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  outfile: 'dist/main.js',
  logLevel: 'warning',
});
