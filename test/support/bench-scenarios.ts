// Generated scenarios the benches share: the e2e panel bench and the in-host run bench.

/**
 * A scenario of `statements` statements on one 4 MiB anonymous region: stores and loads over
 * it, a fork with copy-on-write and an exit every 500 statements, a pageout every 1000, and a
 * `show smaps` now and then. Paths are relative to the examples folder (hello/hello).
 */
export function generatedScenario(statements: number): string {
  const lines = ['# generated: the scenario panel benchmark', 'set swap 64M', 'P = exec hello/hello', 'A = mmap P 4M rw- private anon'];
  let child = 0;
  for (let i = 0; lines.length - 1 < statements; i++) {
    const page = (i * 7) % 1024;
    if (i % 500 === 250) {
      const name = `C${child++}`;
      lines.push(`${name} = fork P`, `write ${name} A ${page * 4}K 64K`, `exit ${name}`);
    } else if (i % 1000 === 999) lines.push(`madvise P A ${(Math.floor(i / 1000) % 16) * 256}K 128K pageout`);
    else if (i % 100 === 50) lines.push('show smaps P A');
    else lines.push(`${i % 3 === 0 ? 'read' : 'write'} P A ${page * 4}K 4K`);
  }
  return `${lines.slice(0, statements + 1).join('\n')}\n`;
}
