// Benchmarks asx against the reference tools it imitates. Run with `npm run bench`
// (which builds first). Each case runs its reference command and its asx command
// in the same run, best of RUNS wall-clock times, plus asx's peak RSS.
// Add a case by appending to CASES. `--strict` exits 1 when a target is missed.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { kernelCases } from './bench-kernel-cases.mjs';
import { liveCases } from './bench-live-cases.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asx = join(root, 'bin', 'asx.js');
const node = process.execPath;
const RUNS = 3;
const strict = process.argv.includes('--strict');
// `--only TEXT` runs the cases whose name contains TEXT.
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

/**
 * name: shown in the table; needs: files or commands that must exist (else the case is skipped);
 * reference / asx: argv arrays; maxRatio: asx time / reference time target; maxRssMiB: asx peak RSS target.
 * Optional: runs (instead of RUNS); baseline: { reference, asx } run the same way and subtracted from
 * both times (the ratio then compares the work itself, without start-up), maxSeconds: a target for
 * asx's time above its baseline; units: { count, name, maxMicros, maxBytes, above? }: asx's time and
 * peak RSS above the baseline per unit (fault, VMA...), or above `above: { asx, count }`, a smaller
 * run of the same work, when the case has one.
 */
const CASES = [
  {
    name: 'elf --json /usr/bin/node',
    needs: ['/usr/bin/node', 'readelf'],
    reference: ['readelf', '-hlSsdnW', '/usr/bin/node'],
    asx: [node, asx, 'elf', '--json', '/usr/bin/node'],
    maxRatio: 0.5,
    maxRssMiB: 400,
  },
  {
    name: 'elf /usr/bin/node (text)',
    needs: ['/usr/bin/node', 'readelf'],
    reference: ['readelf', '-hlSsdnW', '/usr/bin/node'],
    asx: [node, asx, 'elf', '/usr/bin/node'],
    maxRatio: 0.5,
    maxRssMiB: 400,
  },
  {
    // The simulated ld.so (search, ld.so.cache, mapping, RELRO) against the real one listing the same libraries.
    name: 'maps --at entry /usr/bin/python3',
    needs: ['/usr/bin/python3', 'ldd'],
    reference: ['ldd', '/usr/bin/python3'],
    asx: [node, asx, 'maps', '--at', 'entry', '/usr/bin/python3'],
    maxRatio: 40,
    maxRssMiB: 200,
  },
];

CASES.push(...kernelCases(root, node, asx));
CASES.push(...liveCases(root, node, asx));

function which(command) {
  if (command.includes('/')) return existsSync(command) ? command : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

const devNull = openSync('/dev/null', 'w');

/** Wall time of one run in seconds, output to /dev/null; throws if the command fails. */
function timeOnce(argv) {
  const start = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', devNull, devNull] });
  const seconds = (performance.now() - start) / 1000;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited with status ${r.status ?? r.signal}`);
  return seconds;
}

function best(argv, runs = RUNS) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, timeOnce(argv));
  return min;
}

const argvOf = (a) => (typeof a === 'function' ? a() : a);

const scratch = mkdtempSync(join(tmpdir(), 'asx-bench-'));

/**
 * Peak RSS of a command in MiB: GNU time's %M when /usr/bin/time works, else
 * (for node commands) a preloaded module that records process.resourceUsage().maxRSS at exit.
 */
function peakRssMiB(argv) {
  const out = join(scratch, 'rss');
  if (existsSync('/usr/bin/time')) {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', out, ...argv], { stdio: ['ignore', devNull, devNull] });
    if (r.status === 0 && existsSync(out)) {
      const kib = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
      rmSync(out);
      if (Number.isFinite(kib) && kib > 0) return { mib: kib / 1024, how: '/usr/bin/time' };
    }
  }
  if (argv[0] === node) {
    const preload = join(scratch, 'rss.cjs');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`);
    const r = spawnSync(node, ['--require', preload, ...argv.slice(1)], { stdio: ['ignore', devNull, devNull] });
    if (r.status === 0 && existsSync(out)) return { mib: Number(readFileSync(out, 'utf8')) / 1024, how: 'resourceUsage' };
  }
  return { mib: NaN, how: 'unavailable' };
}

if (!existsSync(join(root, 'dist', 'cli', 'asx.js'))) {
  console.error('bench: dist/cli/asx.js is missing; run `node scripts/build.mjs` first (npm run bench does)');
  process.exit(2);
}

const rows = [];
let missed = false;
for (const c of CASES) {
  if (only !== undefined && !c.name.includes(only)) continue;
  const missing = c.needs.filter((n) => !which(n));
  if (missing.length) {
    console.log(`skipped ${c.name}: ${missing.join(', ')} not found`);
    continue;
  }
  if (c.prepare && !c.prepare()) {
    console.log(`skipped ${c.name}: its reference tool could not be built`);
    continue;
  }
  const reference = best(argvOf(c.reference), c.runs);
  const asxArgv = argvOf(c.asx);
  const mine = best(asxArgv, c.runs);
  const rss = peakRssMiB(asxArgv);
  // Above the baseline: the work itself, without either side's start-up.
  const base = c.baseline && { reference: best(argvOf(c.baseline.reference)), asx: best(c.baseline.asx), rss: peakRssMiB(c.baseline.asx) };
  const work = base ? Math.max(mine - base.asx, 1e-6) : mine;
  const ratio = base ? work / Math.max(reference - base.reference, 1e-6) : mine / reference;
  const ratioOk = ratio <= c.maxRatio;
  const rssOk = !(rss.mib >= c.maxRssMiB);
  const notes = [];
  let extraOk = true;
  if (c.maxSeconds !== undefined) {
    const ok = work <= c.maxSeconds;
    extraOk &&= ok;
    notes.push(`${work.toFixed(3)} s above start-up ${ok ? 'ok' : 'MISS'} (<= ${c.maxSeconds} s)`);
  }
  if (c.units && base) {
    const { count, name, maxMicros, maxBytes, above } = c.units;
    // Per unit above a smaller run of the same work when the case has one (units.above), else above the baseline.
    const from = above ? { seconds: best(above.asx, c.runs), rss: peakRssMiB(above.asx), count: above.count } : { seconds: base.asx, rss: base.rss, count: 0 };
    const micros = (Math.max(mine - from.seconds, 1e-6) * 1e6) / (count - from.count);
    const bytes = ((rss.mib - from.rss.mib) * 1048576) / (count - from.count);
    const microsOk = maxMicros === undefined || micros <= maxMicros;
    const bytesOk = maxBytes === undefined || bytes <= maxBytes;
    extraOk &&= microsOk && bytesOk;
    notes.push(`${micros.toFixed(2)} us/${name}${maxMicros === undefined ? '' : ` ${microsOk ? 'ok' : 'MISS'} (<= ${maxMicros})`}, ${bytes.toFixed(0)} B/${name}${maxBytes === undefined ? '' : ` ${bytesOk ? 'ok' : 'MISS'} (<= ${maxBytes})`}`);
    if (above) notes.push(`both above the run of ${above.count} ${name}s; above start-up ${(((rss.mib - base.rss.mib) * 1048576) / count).toFixed(0)} B/${name}`);
  }
  missed ||= !ratioOk || !rssOk || !extraOk;
  rows.push([
    c.name,
    `${reference.toFixed(3)} s`,
    `${mine.toFixed(3)} s`,
    `${ratio.toFixed(2)}x${base ? ' above start-up' : ''} ${ratioOk ? 'ok' : 'MISS'} (<= ${c.maxRatio}x)`,
    `${Number.isNaN(rss.mib) ? '?' : rss.mib.toFixed(0)} MiB ${rssOk ? 'ok' : 'MISS'} (< ${c.maxRssMiB})`,
    notes.join('; '),
  ]);
}
closeSync(devNull);
rmSync(scratch, { recursive: true, force: true });

if (rows.length) {
  const head = ['case', `reference (best of ${RUNS})`, `asx (best of ${RUNS})`, 'ratio', 'asx peak RSS', 'targets of issue 13'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(head));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
} else {
  console.log('bench: no case could run here');
}

// Second section: the VS Code extension (activation, first paint of /usr/bin/node, the 200k-row
// symbol grid), measured in a real VS Code server and Chromium by test/e2e/support/bench.ts.
// `--no-vscode` skips it; the first run installs the server (scripts/install-vscode-server.sh).
if (!process.argv.includes('--no-vscode')) {
  const extension = spawnSync('npm', ['run', '--silent', 'bench:vscode'], { cwd: root, stdio: 'inherit' });
  missed ||= extension.status !== 0;
}
// Exiting kills the live cases' processes (their 'exit' handlers); their pipes would otherwise keep Node waiting.
process.exit(strict && missed ? 1 : 0);
