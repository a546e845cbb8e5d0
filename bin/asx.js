#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli', 'asx.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('asx: not built yet; run `npm run build` (or `npm start`) in ' + path.join(__dirname, '..') + '\n');
  process.exit(2);
}
require(bundle);
