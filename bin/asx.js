#!/usr/bin/env node
'use strict';
// Runs the CLI bundle. With dist/cli/asx.js.cache (V8's code cache for it, which `npm run build`
// writes), V8 skips compiling the functions a run uses: about a fifth of `asx`'s start-up. A cache
// that does not match (another Node, a bundle built since) is rejected by V8, and the bundle is
// compiled as usual.
const path = require('node:path');
const fs = require('node:fs');
const vm = require('node:vm');
const Module = require('node:module');

const bundle = path.join(__dirname, '..', 'dist', 'cli', 'asx.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('asx: not built yet; run `npm run build` (or `npm start`) in ' + path.join(__dirname, '..') + '\n');
  process.exit(2);
}
const cacheFile = `${bundle}.cache`;
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The bundle as Node would wrap a CommonJS module, compiled with the cache.
const source = fs.readFileSync(bundle, 'utf8');
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
// scripts/build.mjs runs one scenario with ASX_WRITE_CODE_CACHE=1: the cache then holds every function it compiled.
if (process.env.ASX_WRITE_CODE_CACHE === '1') process.on('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
const main = new Module(bundle, module);
main.filename = bundle;
main.paths = Module._nodeModulePaths(path.dirname(bundle));
script.runInThisContext()(main.exports, (id) => main.require(id), main, bundle, path.dirname(bundle));
