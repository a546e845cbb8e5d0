// Builds the separate bundles: the CLI, the Node extension host, the web extension host and the webview.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };

const jobs = [
  { entryPoints: ['simulator/cli/asx.ts'], outfile: 'dist/cli/asx.js', platform: 'node', format: 'cjs', target: 'node20' },
  // The Node host's small activation front, and the core it requires on first use (an external of the front).
  { entryPoints: ['extension/node.ts'], outfile: 'dist/extension/node.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', './node-core.js'] },
  { entryPoints: ['extension/node-core.ts'], outfile: 'dist/extension/node-core.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  { entryPoints: ['extension/web.ts'], outfile: 'dist/extension/web.js', platform: 'browser', format: 'cjs', target: 'es2022', external: ['vscode'] },
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview/main.js', platform: 'browser', format: 'iife', target: 'es2022' },
  // The scenario panel (its stylesheet lands next to it as dist/webview/scenario.css).
  { entryPoints: ['webview/scenario/main.ts'], outfile: 'dist/webview/scenario.js', platform: 'browser', format: 'iife', target: 'es2022' },
  // The live view of a process (dist/webview/live.css beside it).
  { entryPoints: ['webview/live/main.ts'], outfile: 'dist/webview/live.js', platform: 'browser', format: 'iife', target: 'es2022' },
  // The codicon font and its stylesheet, next to the webview bundle (its only local resource root).
  { entryPoints: ['node_modules/@vscode/codicons/dist/codicon.css'], outfile: 'dist/webview/codicon.css', loader: { '.ttf': 'file' }, assetNames: '[name]' },
];

for (const [extra, outfile] of [['test/fuzz/fuzz-elf.ts', 'dist/test/fuzz.js'], ['test/fuzz/fuzz-scenario.ts', 'dist/test/fuzz-scenario.js'], ['test/fuzz/fuzz-protocol.ts', 'dist/test/fuzz-protocol.js'], ['test/fuzz/fuzz-core.ts', 'dist/test/fuzz-core.js']]) {
  if (existsSync(extra)) jobs.push({ entryPoints: [extra], outfile, platform: 'node', format: 'cjs', target: 'node20' });
}

await Promise.all(jobs.map((job) => build({ ...common, ...job })));

// V8's code cache for the CLI bundle (bin/asx.js loads it): one run of an example scenario, so that
// it holds the functions a run compiles. Optional: without it (or if this fails) asx compiles as usual.
const cache = spawnSync(process.execPath, ['bin/asx.js', 'run', 'examples/02-fork-cow.aspace'], { env: { ...process.env, ASX_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
if (cache.status !== 0 && cache.status !== 1) console.warn(`build: no code cache for dist/cli/asx.js (the example run exited with ${cache.status ?? cache.signal})`);
