// The committed cores of tiny-core (test/fixtures/core/build.sh): a kernel core of a SIGSEGV and a
// gcore of the same program, each against the /proc/PID/maps captured just before the dump.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';
import { MemoryFileAccess, type FileAccess } from '../../../../simulator/elf/file-access';
import { readCore, renderCoreMaps } from '../../../../simulator/live/core';
import { buildCore, fileNote } from '../../../support/core-builder';
import { mapsDifferences } from '../../../support/core-compare';

const dir = fileURLToPath(new URL('../../../fixtures/core/', import.meta.url));
const bytes = (name: string) => new Uint8Array(readFileSync(dir + name));
const RAN_AS = '/tmp/asx-core-fixture/tiny-core';
/** NT_FILE names where tiny-core ran; the tests read the committed copy instead. */
const openMappedFile = (path: string): Promise<FileAccess | undefined> => Promise.resolve(path === RAN_AS ? new MemoryFileAccess(path, bytes('bin/tiny-core')) : undefined);

function capture(): { out: string; err: string; io: [{ write(t: string): void }, { write(t: string): void }] } {
  const result = { out: '', err: '', io: [{ write: (t: string) => void (result.out += t) }, { write: (t: string) => void (result.err += t) }] as [{ write(t: string): void }, { write(t: string): void }] };
  return result;
}

describe('core fixtures: asx maps CORE equals the maps captured before the dump', () => {
  it('kernel core (a SIGSEGV): every line, from PT_LOADs alone', async () => {
    const dump = await readCore(new MemoryFileAccess('kernel.core', bytes('kernel.core')));
    expect(dump.producer).toBe('kernel');
    expect(mapsDifferences(readFileSync(dir + 'kernel.maps', 'utf8'), renderCoreMaps(dump))).toEqual([]);
    expect(dump.regions.every((r) => r.known.perms)).toBe(true);
    expect(dump.regions.find((r) => r.name === '[vdso]')?.known.name).toBe(true);
    // /dev/zero (deleted) is shared anonymous memory by name.
    expect(dump.regions.find((r) => r.path === '/dev/zero (deleted)')?.perms).toBe('rw-s');
  });

  it('kernel core: signal, command line, registers, crash and fault regions', async () => {
    const dump = await readCore(new MemoryFileAccess('kernel.core', bytes('kernel.core')));
    expect(dump.signal).toMatchObject({ signo: 11, name: 'SIGSEGV', code: 1, codeName: 'SEGV_MAPERR', addr: '0x1234' });
    expect(dump.process).toMatchObject({ fname: 'tiny-core', psargs: './tiny-core', uid: 0 });
    expect(dump.threads).toHaveLength(1);
    expect(dump.threads[0]?.signal).toBe(11);
    expect(Object.keys(dump.threads[0]?.registers ?? {})).toHaveLength(27);
    const crash = dump.regions[dump.crash?.region ?? -1];
    expect(crash).toMatchObject({ perms: 'r-xp', path: RAN_AS });
    expect(dump.faultAddress).toEqual({ address: '0x1234' });
    expect(dump.executable).toBe(RAN_AS);
    expect(dump.kernelVersion).toMatch(/^6\.18\./);
    expect(dump.auxv.AT_SYSINFO_EHDR).toBe(dump.regions.find((r) => r.name === '[vdso]')?.start);
  });

  it('gcore core: every line, with the file regions gcore leaves out and their permissions from the program', async () => {
    const dump = await readCore(new MemoryFileAccess('gcore.core', bytes('gcore.core')), { openMappedFile });
    expect(dump.producer).toBe('gdb');
    expect(mapsDifferences(readFileSync(dir + 'gcore.maps', 'utf8'), renderCoreMaps(dump))).toEqual([]);
    const text = dump.regions.find((r) => r.perms === 'r-xp' && r.path === RAN_AS);
    expect(text).toMatchObject({ permsSource: 'file', dumpedBytes: 0 });
    expect(dump.regions.find((r) => r.name === '[vvar]')?.known.name).toBe(false);
    expect(dump.signal?.name).toBe('SIGSTOP');
    expect(dump.notes.some((n) => n.includes('[vvar_vclock]'))).toBe(true);
  });

  it('gcore core without the mapped files: guesses, marked as such', async () => {
    const dump = await readCore(new MemoryFileAccess('gcore.core', bytes('gcore.core')));
    const text = dump.regions.find((r) => r.path === RAN_AS && r.offset === '0x1000');
    expect(text).toMatchObject({ perms: 'r--p', permsSource: 'guess', known: { perms: false } });
    expect(dump.notes.some((n) => n.includes('are unknown') && n.includes('401000-402000'))).toBe(true);
  });

  it('asx maps CORE prints the lines on stdout and one note on stderr; asx elf CORE adds the core summary', async () => {
    const maps = capture();
    expect(await main(['maps', dir + 'kernel.core'], ...maps.io)).toBe(0);
    expect(mapsDifferences(readFileSync(dir + 'kernel.maps', 'utf8'), maps.out)).toEqual([]);
    expect(maps.err.match(/asx: note:/g)).toHaveLength(1);
    expect(maps.err).toMatch(/^asx: note: .*kernel\.core is the kernel's core of pid \d+ \(tiny-core\); what it cannot know, and what was inferred:\n {2}- .*p\/s column.*\n {2}- .*00:00 0/);
    const elf = capture();
    expect(await main(['elf', dir + 'kernel.core'], ...elf.io)).toBe(0);
    expect(elf.out).toContain('NT_FILE (mapped files)');
    expect(elf.out).toContain('Signal: 11 (SIGSEGV), code 1 (SEGV_MAPERR), address 0x1234');
    expect(elf.out).toMatch(/Instruction pointer: 0x401[0-9a-f]{3} in 0x401000-0x402000 r-xp \/tmp\/asx-core-fixture\/tiny-core/);
    expect(elf.out).toContain('Fault address: 0x1234 (in no mapping)');
    const json = capture();
    expect(await main(['elf', '--json', dir + 'gcore.core'], ...json.io)).toBe(0);
    const doc = JSON.parse(json.out) as { core: { producer: string; regions: unknown[] } };
    expect(doc.core.producer).toBe('gdb');
    expect(doc.core.regions.length).toBeGreaterThan(10);
  });

  it('asx maps CORE refuses program arguments and options', async () => {
    const run = capture();
    expect(await main(['maps', dir + 'kernel.core', 'x'], ...run.io)).toBe(2);
    expect(run.err).toContain('is a core file: asx maps CORE takes no program arguments');
    const aslr = capture();
    expect(await main(['maps', dir + 'kernel.core', '--aslr', 'on'], ...aslr.io)).toBe(2);
    expect(aslr.err).toContain('is a core file: --aslr is for programs');
  });

  it.skipIf(process.platform !== 'linux')('a core naming a FIFO or a device as a mapped file: not opened, no hang', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asx-core-fifo-'));
    try {
      const fifo = join(dir, 'fifo');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const entries = [fifo, '/dev/zero', 'relative'].map((path, i) => ({ start: BigInt(0x10000 * (i + 1)), end: BigInt(0x10000 * (i + 1) + 0x1000), pgoff: 0n, path }));
      const core = join(dir, 'core');
      writeFileSync(core, buildCore({ is64: true, loads: [{ vaddr: 0x100000n, memsz: 0x1000n, flags: 4, align: 1n }], notes: [{ type: 0x46494c45, desc: fileNote(8, 1, entries) }] }));
      const run = capture();
      expect(await main(['maps', core], ...run.io)).toBe(0);
      expect(run.out.split('\n').filter(Boolean)).toHaveLength(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a compressed core (as systemd-coredump stores them) is named as such', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asx-core-zst-'));
    try {
      const file = join(dir, 'core.zst');
      writeFileSync(file, new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, ...new Array<number>(60).fill(0)]));
      const run = capture();
      expect(await main(['maps', file], ...run.io)).toBe(1);
      expect(run.err).toBe(`asx: ${file}: a zstd-compressed file, not an ELF file (systemd-coredump stores cores so): decompress it first (coredumpctl dump PID > core, or unzstd)\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
