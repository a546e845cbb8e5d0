// Damaged and partial ELF files, shown as far as they go as readelf shows them: byte edits of the
// pie fixture (the same edits as test/fixtures/elf/damaged/make-damaged.py) and a separate debug
// file (objcopy --only-keep-debug) and an i386 object, compared with `readelf -hlSsdnW` output captured in
// test/golden/elf/damaged/; each problem is a warning naming its offset and field, and exit 0.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';
import { flagLetters } from '../../../../simulator/elf/describe';
import { ElfFile } from '../../../../simulator/elf/elf-file';
import { MemoryFileAccess } from '../../../../simulator/elf/file-access';
import { summarizeElf } from '../../../../extension/elf-editor/elf-summary';
import { checkElfSummary } from '../../../../webview/view-model-checks';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const pie = new Uint8Array(readFileSync(join(repo, 'test/fixtures/elf/bin/pie')));
const scratch = mkdtempSync(join(tmpdir(), 'asx-damaged-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const shoff = Number(new DataView(pie.buffer, pie.byteOffset).getBigUint64(40, true));

function edited(edits: [offset: number, bytes: 2 | 8, value: bigint | ((old: bigint) => bigint)][], cut?: number): Uint8Array {
  const b = pie.slice(0, cut);
  const v = new DataView(b.buffer);
  for (const [at, size, value] of edits) {
    const old = size === 2 ? BigInt(v.getUint16(at, true)) : v.getBigUint64(at, true);
    const next = typeof value === 'function' ? value(old) : value;
    if (size === 2) v.setUint16(at, Number(next), true);
    else v.setBigUint64(at, next, true);
  }
  return b;
}

interface Damaged {
  readonly name: string;
  readonly bytes: () => Uint8Array;
  /** Pieces of the warnings (offset and field), in order; none for a file readelf reads cleanly. */
  readonly warnings: readonly string[];
}

const CASES: readonly Damaged[] = [
  { name: 'pie.debug', bytes: () => new Uint8Array(readFileSync(join(repo, 'test/fixtures/elf/damaged/pie.debug'))), warnings: ['offset 0xbc8: phdr[6] PT_DYNAMIC', 'offset 0x98: phdr[1] PT_INTERP p_filesz'] },
  { name: 'shentsize0', bytes: () => edited([[58, 2, 0n]]), warnings: ['offset 0x3a: e_shentsize: 0 is smaller than a section header'] },
  { name: 'shstrndx-out-of-range', bytes: () => edited([[62, 2, 200n]]), warnings: ['offset 0x3e: e_shstrndx: section 200 does not exist'] },
  { name: 'shstrndx0', bytes: () => edited([[62, 2, 0n]]), warnings: [] },
  { name: 'shoff-past-end', bytes: () => edited([[40, 8, BigInt(pie.length + 0x1000)]]), warnings: ['section header table (e_shoff)', 'extend past the end of the file'] },
  { name: 'truncated-section-table', bytes: () => pie.slice(0, shoff + 64 * 3), warnings: [`offset 0x${shoff.toString(16)}: section header table (e_shoff)`] },
  // Another architecture: `gcc -m32 -O2 -c retain.c` (ELF32, i386, a SHF_GNU_RETAIN section).
  { name: 'i386-retain.o', bytes: () => new Uint8Array(readFileSync(join(repo, 'test/fixtures/elf/damaged/i386-retain.o'))), warnings: [] },
  {
    name: 'os-proc-flags',
    bytes: () => edited([[shoff + 64 + 8, 8, (f) => f | 0x00300000n | 0x60000000n], [shoff + 128 + 8, 8, (f) => f | 0x01000000n]]),
    warnings: [],
  },
];

async function run(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, { write: (t) => out.push(t) }, { write: (t) => err.push(t) });
  return { status, stdout: out.join(''), stderr: err.join('') };
}

describe('damaged ELF files as readelf -W shows them', () => {
  for (const c of CASES) {
    it(`${c.name}: the text matches readelf, each problem a warning, exit 0`, async () => {
      const path = join(scratch, c.name);
      writeFileSync(path, c.bytes());
      const r = await run(['elf', path]);
      expect(r.status).toBe(0);
      const golden = readFileSync(join(repo, `test/golden/elf/damaged/${c.name}.readelf.txt`), 'utf8');
      expect(r.stdout).toBe(golden);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(c.warnings.length ? lines.length : 0);
      for (const w of c.warnings) expect(r.stderr).toContain(w);
      for (const line of lines) expect(line).toMatch(/^asx: .*: warning: offset 0x[0-9a-f]+: \S.*: \S/);
      const json = JSON.parse((await run(['elf', path, '--json'])).stdout) as { warnings: { offset: number; field: string; message: string }[] };
      expect(json.warnings.map((w) => `asx: ${path}: warning: ${w.message}`)).toEqual(lines);
    });
  }

  it('the ELF editor gets the same warnings (its banner lists them) and a summary the webview accepts', async () => {
    for (const c of CASES) {
      const summary = await summarizeElf(await ElfFile.open(new MemoryFileAccess(c.name, c.bytes())));
      expect(checkElfSummary(JSON.parse(JSON.stringify(summary)))).toBeDefined();
      expect(summary.warnings.length > 0).toBe(c.warnings.length > 0);
      for (const w of c.warnings) expect(summary.warnings.map((x) => x.message).join('\n')).toContain(w);
    }
  });

  it('a file with nothing to show is still a clear error', async () => {
    const path = join(scratch, 'header-only');
    writeFileSync(path, pie.slice(0, 40));
    const r = await run(['elf', path]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('section flag letters as readelf prints them', () => {
  it.each([
    [0x2n | 0x00300000n, 0, 62, 'Ao'],
    [0x3n | 0x00300000n, 3, 62, 'WAo'],
    [0x2n | 0x60000000n, 0, 3, 'Ap'],
    [0x2n | 0x01000000n, 0, 62, 'AD'],
    [0x2n | 0x01000000n, 3, 62, 'AD'],
    [0x2n | 0x01000000n, 6, 62, 'Ao'],
    [0x2n | 0x00200000n, 3, 62, 'AR'],
    [0x10000000n | 0x80000000n, 0, 62, 'lE'],
    [0x20000000n | 0x80000000n, 0, 62, 'p'],
    [0x20000000n, 0, 40, 'y'],
    [0x1000n, 0, 62, 'x'],
  ])('flags %s, OS/ABI %i, machine %i: %s', (flags, osabi, machine, letters) => {
    expect(flagLetters(flags, osabi, machine)).toBe(letters);
  });
});
