#!/usr/bin/env node
// Random differential check: random scenarios (mmap, access, fork, exit, munmap, mprotect, madvise,
// msync, mlock, munlock, mremap, brk) run on the kernel by aspace-oracle and in the simulator by
// asx run; every `show smaps P R` section must agree (device, inode and directory aside).
// Usage (root, after test/oracle/build.sh and swap.sh; node scripts/build.mjs):
//   node test/oracle/random-diff.mjs [COUNT] [SEED] [OUTDIR]
// Scenarios that differ are kept in OUTDIR (default /tmp/asx-random) with both outputs. ASX=PATH runs
// another build of asx (a copy of dist/cli/asx.js, so that a rebuild during a long run changes nothing).
// One run at a time: two oracles at once share the data files' page cache, and their results differ.
// Streams of scenarios (each makes a seed make another scenario; they combine):
// - FILE_HUGE=1: half the file mappings MADV_HUGEPAGE;
// - STATEMENTS=N: N random statements instead of 28;
// - FORKS=N: up to N processes at once instead of 4 (deeper fork trees, more sharers of a page);
// - EXEC=1: executable permissions (r-x, rwx) and `exec` accesses;
// - THP=1: `set thp always`, huge regions of 2 to 4 MiB, MADV_HUGEPAGE half the time (the oracle sets
//   the machine's mode for the run and puts it back: one run at a time);
// - BIGFILE=1: half the file mappings are of a 4 MiB file, up to 1,024 pages of it;
// - FIXED=1: half the small mappings placed with `at ADDR` (MAP_FIXED_NOREPLACE) in an 8 MiB window,
//   often right after the previous one (merges), and a fifth of them `noreserve`;
// - READ_ADVICE=1: madvise may also be `random`, `sequential` or `normal` (MADV_RANDOM, MADV_SEQUENTIAL, MADV_NORMAL);
// - STATUS=1: also how P's /proc/PID/status changed from just after exec to the end (VmSize, VmData,
//   VmLib, VmLck, VmRSS, RssAnon, RssFile, RssShmem, VmPTE, VmSwap): the oracle's process is not the
//   scenario's program, so only the changes can agree (and VmPTE's not when P's heap grew: the oracle's
//   heap is in another 2 MiB than the program's).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const [count = 50, seed0 = Date.now() % 100000, out = '/tmp/asx-random'] = process.argv.slice(2).map((a, i) => (i < 2 ? Number(a) : a));
const ORACLE = process.env.ORACLE ?? '/tmp/aspace-oracle';
const FILE_HUGE = process.env.FILE_HUGE === '1';
const STATEMENTS = Number(process.env.STATEMENTS ?? 28);
const EXEC = process.env.EXEC === '1';
const THP = process.env.THP === '1';
const FIXED = process.env.FIXED === '1';
const STATUS = process.env.STATUS === '1';
const READ_ADVICE = process.env.READ_ADVICE === '1';
const FORKS = Number(process.env.FORKS ?? 4);
const STATUS_FIELDS = ['VmSize', 'VmData', 'VmLib', 'VmLck', 'VmRSS', 'RssAnon', 'RssFile', 'RssShmem', 'VmPTE', 'VmSwap'];
const WINDOW = 0x100000000;
const WINDOW_PAGES = 2048;
const PERMS = EXEC ? ['rw-', 'rw-', 'r--', '---', 'r-x', 'rwx'] : ['rw-', 'rw-', 'rw-', 'r--', '---'];
const STATIC = join(ROOT, 'test/fixtures/elf/bin/static');
const DATA = join(HERE, 'scenarios/data');
// The data files and their sizes in pages (build.sh makes them).
const FILES = [['file32.bin', 32], ['shared32.bin', 32], ['file256.bin', 256], ['fork32.bin', 32]];
const BIGFILE = process.env.BIGFILE === '1';
mkdirSync(out, { recursive: true });

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => ((s = (s * 1103515245 + 12345) >>> 0), (s >>> 8) / 0x1000000);
}

/**
 * A random scenario that kills no process: each process knows its regions and the permissions of
 * each of their pages, so that accesses stay within what is mapped and allowed.
 */
function scenario(seed) {
  const r = rng(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const int = (n) => Math.floor(r() * n);
  // The newer streams first read P's vDSO page, as the oracle's process has (its libc read the vDSO):
  // then both have a page table in the 2 MiB below [vvar], where the first mappings go, and a THP or
  // fault-around there sees the same (a program stopped at its entry point has none there).
  const vdso = THP || EXEC || FIXED || STATUS || FORKS !== 4 ? ['read P 0x7ffff7ffd000'] : [];
  const lines = ['set swap 256M', ...(THP ? ['set thp always'] : []), `P = exec ${STATIC}`, ...vdso, ...(STATUS ? ['show status P'] : [])];
  const procs = new Map([['P', new Map()]]); // process -> region name -> { perms: (string|null)[], file, shared }
  const names = [];
  // FIXED=1: the window pages each process may have mapped there (never reused: a region mremap
  // grew or moved keeps its old pages counted), and where its last `at` mapping ended.
  const occupied = new Map([['P', new Set()]]);
  const lastEnd = new Map();
  const place = (p, pages, huge) => {
    if (!FIXED || huge || r() >= 0.5) return ['', undefined];
    const occ = occupied.get(p);
    const start = lastEnd.has(p) && r() < 0.5 ? lastEnd.get(p) : int(WINDOW_PAGES - pages);
    for (let i = start; i < start + pages; i++) if (i >= WINDOW_PAGES || occ.has(i)) return ['', undefined];
    for (let i = start; i < start + pages; i++) occ.add(i);
    lastEnd.set(p, start + pages);
    return [` at 0x${(WINDOW + start * 4096).toString(16)}`, start];
  };
  const noreserve = () => (FIXED && r() < 0.2 ? ' noreserve' : '');
  let n = 0;
  const kb = (pages) => `${pages * 4}K`;
  const allows = (perm, op) => perm !== null && (op === 'write' ? perm[1] === 'w' : op === 'exec' ? perm[2] === 'x' : perm[0] === 'r' || perm[2] === 'x');
  const span = (reg) => {
    if (r() < 0.4) return [0, reg.perms.length, ''];
    const off = int(reg.perms.length);
    const len = 1 + int(reg.perms.length - off);
    return [off, off + len, ` ${kb(off)} ${kb(len)}`];
  };
  for (let i = 0; i < STATEMENTS; i++) {
    const p = pick([...procs.keys()]);
    const mine = procs.get(p);
    const k = r();
    if (k < 0.16 || mine.size === 0) {
      const name = `R${n++}`;
      const huge = r() < (THP ? 0.15 : 0.08);
      const perms = huge ? 'rw-' : pick(PERMS);
      const shared = !huge && r() < 0.3;
      let pages;
      let file;
      let atPage;
      if (!huge && r() < 0.35) {
        // BIGFILE=1: half the file mappings are of the 4 MiB file, up to all of it (readahead windows
        // that ramp up, asynchronous readahead, mmap_miss).
        const big = BIGFILE && r() < 0.5;
        const [f, size] = big ? ['file4m.bin', 1024] : pick(FILES);
        const off = int(size / 2);
        pages = 1 + int(Math.min(big ? 1024 : 32, size - off));
        file = f;
        const [at, page] = place(p, pages, false);
        atPage = page;
        lines.push(`${name} = mmap ${p} ${kb(pages)} ${perms} ${shared ? 'shared' : 'private'} file ${join(DATA, f)}${off ? ` offset ${kb(off)}` : ''}${noreserve()}${at}`);
        // FILE_HUGE=1: file mappings are often MADV_HUGEPAGE (large page-cache folios); another stream of scenarios.
        if (FILE_HUGE && r() < 0.5) lines.push(`madvise ${p} ${name} hugepage`);
      } else {
        pages = huge ? (THP ? pick([512, 768, 1024]) : 1024) : 1 + int(24);
        const [at, page] = place(p, pages, huge);
        atPage = page;
        lines.push(`${name} = mmap ${p} ${kb(pages)} ${perms} ${shared ? 'shared' : 'private'} anon${noreserve()}${at}`);
        if (huge && (!THP || r() < 0.5)) lines.push(`madvise ${p} ${name} hugepage`);
      }
      mine.set(name, { perms: Array(pages).fill(perms), file, shared, atPage });
      names.push(name);
      continue;
    }
    const name = pick([...mine.keys()]);
    const reg = mine.get(name);
    const [from, to, text] = span(reg);
    const whole = reg.perms.every((x) => x !== null);
    if (k < 0.46) {
      const op = pick(EXEC ? ['write', 'write', 'read', 'exec'] : ['write', 'write', 'read']);
      if (reg.perms.slice(from, to).every((x) => allows(x, op))) lines.push(`${op} ${p} ${name}${text}`);
    } else if (k < 0.52 && procs.size < FORKS) {
      const q = `Q${i}`;
      lines.push(`${q} = fork ${p}`);
      procs.set(q, new Map([...mine].filter(([, g]) => !g.dontfork).map(([nm, g]) => [nm, { ...g, perms: [...g.perms] }])));
      occupied.set(q, new Set(occupied.get(p)));
      if (lastEnd.has(p)) lastEnd.set(q, lastEnd.get(p));
    } else if (k < 0.6) {
      const advice = pick(['dontneed', 'pageout', 'cold', 'willneed', 'free', 'dontneed', 'pageout', 'free', 'hugepage', 'nohugepage', 'dontfork', 'dofork', ...(READ_ADVICE ? ['random', 'normal', 'sequential'] : [])]);
      // A child forked after dontfork has no such pages: only whole regions, so that the child's map stays known.
      if (advice === 'dontfork' || advice === 'dofork') {
        lines.push(`madvise ${p} ${name} ${advice}`);
        reg.dontfork = advice === 'dontfork';
      } else lines.push(`madvise ${p} ${name}${text} ${advice}`);
    } else if (k < 0.67) {
      const perms = pick(EXEC ? ['rw-', 'r--', '---', 'r-x', 'rwx'] : ['rw-', 'r--', '---']);
      if (reg.perms.slice(from, to).every((x) => x !== null)) {
        lines.push(`mprotect ${p} ${name}${text} ${perms}`);
        for (let j = from; j < to; j++) reg.perms[j] = perms;
      }
    } else if (k < 0.71) {
      lines.push(`${pick(['mlock', 'munlock'])} ${p} ${name}${text}`);
    } else if (k < 0.75 && whole && new Set(reg.perms).size === 1 && !(reg.file && !reg.shared)) {
      const pages = Math.max(1, reg.perms.length + int(16) - 6);
      const maymove = r() < 0.6;
      lines.push(`mremap ${p} ${name} ${kb(pages)}${maymove ? ' maymove' : ''}`);
      if (reg.atPage !== undefined) for (let j = reg.atPage; j < reg.atPage + pages; j++) occupied.get(p).add(j);
      // Growth in place may fail (ENOMEM without maymove): then only the old pages are known mapped.
      if (pages < reg.perms.length) reg.perms.length = pages;
      else if (maymove) reg.perms.push(...Array(pages - reg.perms.length).fill(reg.perms[0]));
    } else if (k < 0.78 && reg.file && reg.shared) {
      lines.push(`msync ${p} ${name}${text}`);
    } else if (k < 0.81) {
      lines.push(`brk ${p} +${kb(1 + int(8))}`, `write ${p} heap`);
    } else if (k < 0.84 && p !== 'P') {
      lines.push(`exit ${p}`);
      procs.delete(p);
    } else if (k < 0.89) {
      lines.push(`munmap ${p} ${name}${text}`);
      for (let j = from; j < to; j++) reg.perms[j] = null;
    } else {
      lines.push(`show smaps ${p} ${name}`);
    }
  }
  for (const [p, mine] of procs) for (const name of mine.keys()) lines.push(`show smaps ${p} ${name}`);
  if (STATUS) lines.push('show status P');
  return `${lines.join('\n')}\n`;
}

/** `show smaps P R` sections, normalized as test/unit/simulator/scenario/oracle-golden.test.ts does. */
function smapsSections(text) {
  const sections = new Map();
  let header;
  for (const line of text.split('\n')) {
    if (line.startsWith('# ')) {
      header = /^# \d+: show smaps /.test(line) ? line : undefined;
      if (header) sections.set(header, []);
    } else if (header) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+ \S+) \S+ \d+ *(.*)$/.exec(line);
      const name = m ? (m[4] ?? '').split('/').at(-1) : '';
      sections.get(header).push(!m ? line.trimEnd() : `${name === '[heap]' ? `size ${(BigInt('0x' + m[2]) - BigInt('0x' + m[1])).toString(16)}` : `${m[1]}-${m[2]}`} ${m[3]} ${name}`);
    }
  }
  return sections;
}

/**
 * How the first and the last `show status P` differ, field by field (STATUS_FIELDS, in kB). VmPTE is
 * left out when P's heap grew (`brk`): the oracle's heap starts after its own 13 MiB bss, in another
 * 2 MiB than the program's, so the page tables it needs are not the program's.
 */
function statusChange(text, fields) {
  const sections = text.split(/^# \d+: /m).filter((p) => p.startsWith('show status P\n'));
  if (sections.length < 2) return 'missing';
  const value = (section, field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(section)?.[1] ?? NaN);
  const changes = fields.map((f) => [f, value(sections.at(-1), f) - value(sections[0], f)]);
  return changes.some(([, d]) => Number.isNaN(d)) ? 'missing' : changes.map(([f, d]) => `${f} ${d}`).join(', ');
}

// The oracle puts the machine's THP mode back at its exit (`set thp`), but not when the timeout below
// kills it: then the mode is put back here, before the next scenario runs under it.
const THP_ENABLED = '/sys/kernel/mm/transparent_hugepage/enabled';
const thpMode = () => (existsSync(THP_ENABLED) ? /\[(\w+)\]/.exec(readFileSync(THP_ENABLED, 'utf8'))?.[1] : undefined);
const machineThp = thpMode();
let same = 0;
let inconclusive = 0;
const differ = [];
for (let i = 0; i < count; i++) {
  const seed = seed0 + i;
  const file = join(out, `r${seed}.aspace`);
  const text = scenario(seed);
  writeFileSync(file, text);
  const kernel = spawnSync(ORACLE, ['--stable', file], { encoding: 'utf8', timeout: 60_000 });
  if (machineThp && thpMode() !== machineThp) writeFileSync(THP_ENABLED, machineThp);
  // The oracle stops at a statement for a process that died earlier (the generator cannot foresee
  // every kill, e.g. an munmap by another region's name): nothing to compare after it.
  if (/unknown process|unknown region/.test(kernel.stderr ?? '')) {
    inconclusive++;
    continue;
  }
  const run = spawnSync(process.execPath, [process.env.ASX ?? join(ROOT, 'dist/cli/asx.js'), 'run', '--thp', 'madvise', '--zero-page', 'host', file], { encoding: 'utf8', timeout: 60_000 });
  const ours = run.stdout ?? '';
  // The oracle's `exec` is a load (it cannot run the bytes there), so it cannot fault on a page
  // without PROT_EXEC; the generator keeps `exec` to executable pages, but an munmap by another
  // region's name (or an mremap in another process, which moves the name) may have put a mapping
  // without it there. Any process's kill by a fetch, not only the first kill.
  const fetchFault = [...(run.stderr ?? '').matchAll(/killed by SIGSEGV \([^)]*error (\d+)\)/g)].some((m) => Number(m[1]) & 0x10);
  if (fetchFault) {
    inconclusive++;
    continue;
  }
  const [k, o] = [smapsSections(kernel.stdout ?? ''), smapsSections(ours)];
  // The kernel prints nothing for `show` of a process that is gone; asx says how it ended.
  const said = (lines) => (lines ?? []).filter((l) => l && !/ is not running: /.test(l));
  const headers = new Set([...k.keys(), ...o.keys()]);
  const bad = [...headers].filter((h) => JSON.stringify(said(o.get(h))) !== JSON.stringify(said(k.get(h))));
  if (STATUS) {
    const fields = /^brk P /m.test(text) ? STATUS_FIELDS.filter((f) => f !== 'VmPTE') : STATUS_FIELDS;
    const [kd, od] = [statusChange(kernel.stdout ?? '', fields), statusChange(ours, fields)];
    if (kd !== od) bad.push(`status P changed: kernel ${kd}; asx ${od}`);
  }
  if (bad.length === 0) same++;
  else {
    differ.push(`r${seed}: ${bad.length} of ${headers.size} sections differ, first ${bad[0]}`);
    writeFileSync(join(out, `r${seed}.kernel`), kernel.stdout ?? '');
    writeFileSync(join(out, `r${seed}.asx`), ours);
  }
}
console.log(`${same} of ${count - inconclusive} random scenarios identical to the kernel (seeds ${seed0}..${seed0 + count - 1}; ${inconclusive} stopped early by the oracle or left out)`);
for (const d of differ) console.log(`  ${d}`);
