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
  const many = scenario('vmas-20k.aspace', [`P = exec ${program}`, ...Array.from({ length: 20000 }, (_, i) => `R${i} = mmap P 4K ${i % 2 ? 'rw-' : 'r--'} private anon`), 'show rollup P']);
  cases.push({
    name: '20k mmaps (20k VMAs) vs the kernel',
    needs: ['gcc'],
    prepare: () => oracle() !== undefined,
    reference: () => [oracle(), many],
    asx: [node, asx, 'run', many],
    maxRatio: 20,
    maxRssMiB: 600,
  });
  return cases;
}
