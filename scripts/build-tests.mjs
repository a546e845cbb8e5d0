// Bundles the in-host suites, the e2e suites and their driver into out/test/ (CommonJS for Node 20+ and the extension host).
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';

const tests = (dir) => readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`);
const entryPoints = [
  'test/integration/index.ts',
  'test/integration/bench.ts',
  'test/integration/run-electron.ts',
  ...tests('test/integration/suites'),
  'test/e2e/run-vscode-tests.ts',
  ...tests('test/e2e/suites'),
];

await build({
  entryPoints,
  outdir: 'out/test',
  outbase: 'test',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Loaded at run time from node_modules (mocha keeps per-run state; vscode is the host's).
  external: ['vscode', 'mocha', 'playwright-core', '@vscode/test-electron'],
});
