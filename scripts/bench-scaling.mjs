// Scaling curves of the simulator (issue 13): CPU time and peak RSS of `asx run` against the
// memory a scenario touches, the number of processes, and the number of VMAs. Writes one SVG
// chart per curve into docs/ and prints the points and the fitted slopes (time and memory per
// unit above the smallest point, and the log-log exponent: 1.0 is linear).
//   node scripts/bench-scaling.mjs [--quick] [--only memory|processes|vmas]    (npm run bench:scaling builds first)
// --quick runs a reduced set of points; --only runs one curve (and rewrites only its chart). Times are user+sys CPU seconds (GNU time), which other
// work on a shared machine disturbs less than wall time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asx = join(root, 'bin', 'asx.js');
const program = join(root, 'test/fixtures/elf/bin/static');
const quick = process.argv.includes('--quick');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
// A directory of its own: two runs at once (helpers on one machine) must not delete each other's files.
const dir = mkdtempSync(join(tmpdir(), 'asx-scaling-'));

if (!existsSync('/usr/bin/time')) {
  console.error('bench-scaling: needs GNU time (/usr/bin/time) for peak RSS');
  process.exit(2);
}

/** Runs asx on the scenario lines; CPU seconds and peak RSS in MiB. */
function measure(name, lines) {
  const file = join(dir, `${name}.aspace`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const out = join(dir, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', out, process.execPath, asx, 'run', file], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${name}: asx run exited with ${r.status}: ${String(r.stderr).slice(0, 500)}`);
  const [user, sys, kib] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  rmSync(file);
  return { seconds: user + sys, mib: kib / 1024 };
}

const G = 1024;
const sizeText = (mib) => (mib >= G ? `${mib / G}G` : `${mib}M`);

/** Anonymous memory written by one process, 1 GiB per statement (the per-statement limit). */
function touched(mib) {
  const ram = Math.max(1, Math.ceil((mib * 1.25) / G) + 1);
  const lines = [`set ram ${ram}G`, `P = exec ${program}`, `A = mmap P ${sizeText(mib)} rw- private anon`];
  for (let off = 0; off < mib; off += G) lines.push(`write P A ${sizeText(off) === '0M' ? 0 : sizeText(off)} ${sizeText(Math.min(G, mib - off))}`);
  lines.push('show rollup P');
  return lines;
}

/** n forks of a process with 64 MiB written (each fork copies its 16,384 PTEs). */
function forks(n) {
  return ['set ram 2G', `P = exec ${program}`, 'A = mmap P 64M rw- private anon', 'write P A', ...Array.from({ length: n }, (_, i) => `Q${i} = fork P`), 'show rollup P'];
}

/** n one-page mmaps that cannot merge (alternating permissions): n VMAs (vm.max_map_count raised above them). */
function vmas(n) {
  return [`set max_map_count ${n + 1000}`, `P = exec ${program}`, ...Array.from({ length: n }, (_, i) => `R${i} = mmap P 4K ${i % 2 ? 'rw-' : 'r--'} private anon`), 'show rollup P'];
}

const CURVES = [
  { id: 'scaling-memory', title: 'Memory touched (one process, anonymous writes)', unit: 'MiB', per: 'MiB touched', points: quick ? [16, 64, 256, 1024] : [16, 64, 256, 1024, 2048, 4096, 8192], make: touched },
  { id: 'scaling-processes', title: 'Forks of a process with 64 MiB written', unit: 'processes', per: 'process', points: quick ? [1, 16, 256] : [1, 4, 16, 64, 256, 1024], make: forks },
  { id: 'scaling-vmas', title: 'VMAs (one-page mmaps that do not merge)', unit: 'VMAs', per: 'VMA', points: quick ? [1000, 4000, 16000] : [1000, 4000, 16000, 64000, 256000, 1048576], make: vmas },
];

/** Least squares of y on x: the slope. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den ? num / den : 0;
}

/** A log-log chart of time and peak RSS against x, two lines with their points labelled. */
function chart(curve, rows, fit) {
  const W = 640;
  const H = 360;
  const m = { l: 64, r: 64, t: 40, b: 48 };
  const xs = rows.map((r) => r.x);
  const lx = (x) => Math.log10(x);
  const [x0, x1] = [lx(Math.min(...xs)), lx(Math.max(...xs))];
  const px = (x) => m.l + ((lx(x) - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const axis = (values) => {
    const lo = Math.floor(Math.log10(Math.min(...values)));
    const hi = Math.ceil(Math.log10(Math.max(...values)));
    return { lo, hi: hi === lo ? hi + 1 : hi, y: (v) => H - m.b - ((Math.log10(v) - lo) / ((hi === lo ? hi + 1 : hi) - lo)) * (H - m.t - m.b) };
  };
  const t = axis(rows.map((r) => r.seconds));
  const r = axis(rows.map((r) => r.mib));
  const path = (key, a) => rows.map((row, i) => `${i ? 'L' : 'M'}${px(row.x).toFixed(1)},${a.y(row[key]).toFixed(1)}`).join(' ');
  const ticks = [];
  for (let e = t.lo; e <= t.hi; e++) ticks.push(`<text x="${m.l - 6}" y="${t.y(10 ** e) + 4}" text-anchor="end" fill="#1f77b4">${10 ** e >= 1 ? 10 ** e : (10 ** e).toPrecision(1)} s</text>`);
  for (let e = r.lo; e <= r.hi; e++) ticks.push(`<text x="${W - m.r + 6}" y="${r.y(10 ** e) + 4}" fill="#d62728">${10 ** e} MiB</text>`);
  for (const x of xs) ticks.push(`<text x="${px(x)}" y="${H - m.b + 16}" text-anchor="middle">${x >= 1000 && curve.unit === 'VMAs' ? (x >= 1048576 ? `${x / 1048576}M` : `${x / 1000}k`) : curve.unit === 'MiB' ? sizeText(x) : x}</text>`);
  const dots = rows.flatMap((row) => [
    `<circle cx="${px(row.x).toFixed(1)}" cy="${t.y(row.seconds).toFixed(1)}" r="3" fill="#1f77b4"/>`,
    `<circle cx="${px(row.x).toFixed(1)}" cy="${r.y(row.mib).toFixed(1)}" r="3" fill="#d62728"/>`,
  ]);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${curve.title}</text>
<text x="${W / 2}" y="32" text-anchor="middle" fill="#555">asx run, log-log: CPU time (blue) and peak RSS (red, dashed); slopes ${(fit.secondsPer * 1e6).toFixed(1)} µs and ${(fit.mibPer * 1048576).toFixed(0)} bytes per ${curve.per}</text>
<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#999"/>
<path d="${path('seconds', t)}" fill="none" stroke="#1f77b4" stroke-width="2"/>
<path d="${path('mib', r)}" fill="none" stroke="#d62728" stroke-width="2" stroke-dasharray="5,3"/>
${dots.join('\n')}
${ticks.join('\n')}
<text x="${W / 2}" y="${H - 10}" text-anchor="middle">${curve.unit}</text>
</svg>
`;
}

const summary = [];
for (const curve of CURVES.filter((c) => !only || c.id === `scaling-${only}`)) {
  const rows = [];
  for (const x of curve.points) {
    const { seconds, mib } = measure(`${curve.id}-${x}`, curve.make(x));
    rows.push({ x, seconds, mib });
    console.log(`${curve.id}: ${x} ${curve.unit}: ${seconds.toFixed(2)} s CPU, ${mib.toFixed(0)} MiB peak RSS`);
  }
  const xs = rows.map((r) => r.x);
  const fit = {
    secondsPer: slope(xs, rows.map((r) => r.seconds)),
    mibPer: slope(xs, rows.map((r) => r.mib)),
    timeExp: slope(xs.map(Math.log), rows.map((r) => Math.log(r.seconds))),
    rssExp: slope(xs.map(Math.log), rows.map((r) => Math.log(r.mib))),
  };
  writeFileSync(join(root, 'docs', `${curve.id}.svg`), chart(curve, rows, fit));
  const line = `${curve.id}: ${(fit.secondsPer * 1e6).toFixed(1)} us and ${(fit.mibPer * 1048576).toFixed(0)} bytes per ${curve.per} (log-log exponents: time ${fit.timeExp.toFixed(2)}, RSS ${fit.rssExp.toFixed(2)}), points ${xs.join(', ')}`;
  summary.push(line);
}
console.log(summary.join('\n'));
rmSync(dir, { recursive: true, force: true });
