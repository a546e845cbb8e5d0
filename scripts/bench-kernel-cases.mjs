// Benchmarks of asx against the real kernel doing the same work in the same run:
// execve stopped at the first instruction (maps), and memory scenarios performed
// with real system calls by the oracle (test/oracle).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Builds a C tool once into the temp folder; undefined when gcc is missing or fails. */
function build(root, name, source, flags) {
  const dir = join(tmpdir(), 'asx-bench-tools');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, name);
  if (existsSync(out)) return out;
  const r = spawnSync('gcc', ['-O2', ...flags, '-o', out, join(root, source)], { stdio: 'ignore' });
  return r.status === 0 ? out : undefined;
}

/** A scenario file in the temp folder. */
function scenario(name, lines) {
  mkdirSync(join(tmpdir(), 'asx-bench-tools'), { recursive: true });
  const path = join(tmpdir(), 'asx-bench-tools', name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

export function kernelCases(root, node, asx) {
  const capture = () => build(root, 'capture-maps', 'test/fixtures/capture/capture-maps.c', []);
  const oracle = () => build(root, 'aspace-oracle', 'test/oracle/aspace-oracle.c', ['-static']);
  const program = join(root, 'test/fixtures/elf/bin/static');
  const cases = [];
  for (const target of ['/usr/bin/python3', '/usr/bin/node']) {
    cases.push({
      name: `maps ${target} vs the kernel's execve`,
      needs: [target, 'gcc'],
      prepare: () => capture() !== undefined,
      reference: () => [capture(), '--', target],
      asx: [node, asx, 'maps', target],
      // The kernel's execve takes about 2 ms; asx's time is mostly Node's own start-up (~50 ms).
      maxRatio: 60,
      maxRssMiB: 200,
    });
  }
  const faults = scenario('faults-64m.aspace', [`P = exec ${program}`, 'A = mmap P 64M rw- private anon', 'write P A', 'Q = fork P', 'write Q A 0 32M', 'show rollup Q']);
  cases.push({
    name: '16k page faults, fork, 8k CoW (64 MiB) vs the kernel',
    needs: ['gcc'],
    prepare: () => oracle() !== undefined,
    reference: () => [oracle(), faults],
    asx: [node, asx, 'run', faults],
    maxRatio: 20,
    maxRssMiB: 600,
  });
  // Issue 13's targets. A baseline (the same program, nothing else) is subtracted from both sides
  // where Node's start-up (~50 ms) would otherwise be the measurement; per-unit costs come from the
  // differences: time and peak RSS above the baseline, divided by the faults, pages or VMAs.
  const empty = scenario('empty.aspace', [`P = exec ${program}`, 'show rollup P']);
  const baseline = { reference: () => [oracle(), empty], asx: [node, asx, 'run', empty] };
  const cow = (size) => scenario(`cow-${size.toLowerCase()}.aspace`, ['set ram 4G', `P = exec ${program}`, `A = mmap P ${size} rw- private anon`, 'write P A', 'Q = fork P', 'write Q A', 'show rollup Q']);
  const gib = cow('1G');
  cases.push({
    name: '1 GiB written, fork, 1 GiB CoW vs the kernel',
    needs: ['gcc'],
    prepare: () => oracle() !== undefined,
    reference: () => [oracle(), gib],
    asx: [node, asx, 'run', gib],
    maxRatio: 0.1,
    maxRssMiB: 256,
    baseline,
    // 2 x 262,144 faults; 524,288 resident pages (the page tables included in the RSS). Per fault and
    // page, the cost is counted above the same scenario at 64 MiB (2 x 16,384 faults): the work per
    // page, without what the first hundred thousand faults cost once (V8 compiling the hot path,
    // about 7 MiB of peak RSS, and Node's own code paged in), which the 64 MiB run has paid too.
    units: { count: 2 * 262144, name: 'fault', maxMicros: 1, maxBytes: 32, above: { asx: [node, asx, 'run', cow('64M')], count: 2 * 16384 } },
  });
  const big = scenario('cow-4g.aspace', ['set ram 8G', `P = exec ${program}`, 'A = mmap P 4G rw- private anon', ...[0, 1, 2, 3].map((g) => `write P A ${g}G 1G`), 'Q = fork P', ...[0, 1, 2, 3].map((g) => `write Q A ${g}G 1G`), 'show rollup Q']);
  cases.push({
    // 8 GiB of pages in a simulated 8 GiB machine: reclaim finds nothing to free and the OOM killer
    // acts, as the kernel's would; the oracle runs on this machine's RAM. One run each: it is long.
    name: 'set ram 8G: 4 GiB written, fork, 4 GiB CoW vs the kernel',
    needs: ['gcc'],
    prepare: () => oracle() !== undefined,
    reference: () => [oracle(), big],
    asx: [node, asx, 'run', big],
    runs: 1,
    maxRatio: 0.1,
    maxRssMiB: 1024,
  });
  const vmas = (n) => scenario(`vmas-${n}.aspace`, [`P = exec ${program}`, ...Array.from({ length: n }, (_, i) => `R${i} = mmap P 4K ${i % 2 ? 'rw-' : 'r--'} private anon`), 'show rollup P']);
  cases.push({
    name: '20k mmaps (20k VMAs) vs the kernel',
    needs: ['gcc'],
    prepare: () => oracle() !== undefined,
    reference: () => [oracle(), vmas(20000)],
    asx: [node, asx, 'run', vmas(20000)],
    maxRatio: 0.1,
    maxRssMiB: 600,
    baseline,
    units: { count: 20000, name: 'VMA', maxBytes: 256 },
  });
  const statements = scenario('statements-10k.aspace', [`P = exec ${program}`, ...Array.from({ length: 2000 }, (_, i) => [`R${i} = mmap P 64K rw- private anon`, `write P R${i}`, `read P R${i} 0 4K`, `munmap P R${i} 0 16K`, `mprotect P R${i} 16K 16K r--`]).flat(), 'show rollup P']);
  cases.push({
    name: '10,000 statements (mmap/write/read/munmap/mprotect) vs the kernel',
    needs: ['gcc'],
    prepare: () => oracle() !== undefined,
    reference: () => [oracle(), statements],
    asx: [node, asx, 'run', statements],
    maxRatio: Infinity,
    maxRssMiB: 600,
    baseline,
    maxSeconds: 0.5,
  });
  return cases;
}
