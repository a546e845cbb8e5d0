// Translate Address in a real process: a program compiled here prints the addresses of its main, of
// a global it wrote and of a page it mapped; each is translated from the kernel's maps and pagemap,
// with the ELF symbol where the region maps the program. Also the hex values debuggers show.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileAccess } from '../../../../extension/files/node-file-access';
import { NodeProcReader } from '../../../../simulator/cli/node-proc-reader';
import { readLiveProcess } from '../../../../simulator/live';
import { hexInValue, regionOf, symbolAt, translateLive } from '../../../../simulator/live/translate-live';

const PROGRAM = `#include <stdio.h>
#include <sys/mman.h>
int counter = 5;
int main(void) {
  char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  p[0] = 1;
  counter++;
  printf("ready %p %p %p\\n", (void *)main, (void *)&counter, (void *)p);
  fflush(stdout);
  getchar();
  return p[0] + counter;
}
`;

describe("the hex value in a debugger's rendering of a value", () => {
  it('finds the first 0x number, or a bare hex address', () => {
    expect(hexInValue('0x00007ffff7fb8000')).toBe(0x7ffff7fb8000n);
    expect(hexInValue('0x00005555555592a0 "xxxx"')).toBe(0x5555555592a0n);
    expect(hexInValue('(char *) 0x7ffd1234')).toBe(0x7ffd1234n);
    expect(hexInValue('7ffff7fb8000')).toBe(0x7ffff7fb8000n);
    for (const v of ['42', 'NULL', 'abc', '', '0x', '{...}']) expect(hexInValue(v), v).toBeUndefined();
  });
});

describe('an address in a live process', () => {
  it('main is in the program\'s text, with its symbol; the global in its data; the mapped page anonymous and present; a hole is not mapped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asx-translate-'));
    const source = join(dir, 'translate-target.c');
    const program = join(dir, 'translate-target');
    writeFileSync(source, PROGRAM);
    const cc = spawnSync(process.env.CC ?? 'gcc', ['-g', '-O0', '-o', program, source], { encoding: 'utf8' });
    expect(cc.status, cc.stderr).toBe(0);
    const child = spawn(program, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 10_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /ready (0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+)\n/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          }
        });
      });
      const [main, counter, page] = [BigInt(ready[1]!), BigInt(ready[2]!), BigInt(ready[3]!)];
      const reader = new NodeProcReader();
      const live = readLiveProcess(reader, child.pid!, { smaps: false });
      const symbol = async (address: bigint) => {
        const vma = regionOf(live, address)!;
        const file = await NodeFileAccess.open(`/proc/${child.pid}/root${vma.path}`);
        try {
          return await symbolAt(file, vma, address);
        } finally {
          file.close();
        }
      };
      expect(await symbol(main)).toBe('main');
      expect(await symbol(main + 4n)).toBe('main+0x4');
      expect(await symbol(counter)).toBe('counter');
      const text = translateLive(reader, live, main, 'main');
      expect(text.region).toMatchObject({ perms: 'r-xp', path: program });
      expect(text.summary).toMatch(new RegExp(`^translate-targe 0x${main.toString(16)} → ${program} r-xp, main, file page, (clean|dirty)`));
      const data = translateLive(reader, live, counter, 'counter');
      expect(data.summary).toMatch(/rw-p, counter, anonymous private/);
      const anon = translateLive(reader, live, page + 5n);
      expect(anon.region?.start).toBe(`0x${page.toString(16)}`);
      expect(anon.page?.present).toBe(true);
      expect(anon.summary).toMatch(/→ anonymous rw-p, anonymous private/);
      const second = translateLive(reader, live, page + 4096n);
      expect(second.summary).toMatch(/→ anonymous rw-p, not present$/);
      expect(translateLive(reader, live, 0x1000n).summary).toBe('translate-targe 0x1000 → not mapped (no VMA contains it)');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
