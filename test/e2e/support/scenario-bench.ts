// Generated scenarios for the scenario panel's benchmark: long, with every kind of statement.

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

/** A 4 GiB private anonymous mapping touched every 64th page: a million-page grid, mostly not present. */
export const MILLION_PAGES_SCENARIO = [
  '# generated: a 4 GiB mapping, 1M pages, touched sparsely',
  'P = exec hello/hello',
  'B = mmap P 4G rw- private anon',
  ...Array.from({ length: 64 }, (_, i) => `write P B ${i * 64}M 4K`),
  ...Array.from({ length: 256 }, (_, i) => `read P B ${i * 16 + 8}M 4K`),
  '',
].join('\n');
