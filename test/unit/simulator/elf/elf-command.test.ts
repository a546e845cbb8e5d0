// `asx elf FILE [--json]`: argument handling, JSON output and error messages.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../../simulator/cli/arguments';
import { runElfCommand } from '../../../../simulator/cli/elf-command';
import type { ElfDescription } from '../../../../simulator/elf/describe';
import { ElfError } from '../../../../simulator/elf/errors';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const pie = 'test/fixtures/elf/bin/pie';
const scratch = mkdtempSync(join(tmpdir(), 'asx-elf-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ status: number; text: string }> {
  const parts: string[] = [];
  const status = await runElfCommand(argv, { write: (t) => parts.push(t) });
  return { status, text: parts.join('') };
}

describe('asx elf', () => {
  it('prints readelf -hlSsdnW text by default', async () => {
    const { status, text } = await run([repo + pie]);
    expect(status).toBe(0);
    const golden = readFileSync(`${repo}test/golden/elf/pie.readelf.txt`, 'utf8');
    // Everything up to the notes (whose GNU property note depends on the note reader).
    const cut = (s: string) => s.slice(0, s.indexOf('Displaying notes'));
    expect(cut(text)).toBe(cut(golden));
  });

  it('prints control characters in section and symbol names as readelf does (^A), never raw', async () => {
    // The pie fixture with a section and a dynamic symbol renamed (same lengths): lines taken from readelf 2.40.
    const bytes = readFileSync(repo + pie).toString('latin1').replace('.comment\0', '.co\x01\x1bent\0').replace('__cxa_finalize\0', '__cxa_fi\x01\x7flize\0');
    const file = join(scratch, 'pie-controls');
    writeFileSync(file, Buffer.from(bytes, 'latin1'));
    const { status, text } = await run([file]);
    expect(status).toBe(0);
    const lines = text.split('\n');
    expect(lines).toContain('  [26] .co^A^[ent        PROGBITS        0000000000000000 003010 000027 01  MS  0   0  1');
    // readelf writes DEL as '^' and the byte 0x7f + 0x40, which no UTF-8 text holds: ^? here.
    expect(lines).toContain('     5: 0000000000000000     0 FUNC    WEAK   DEFAULT  UND __cxa_fi^A^?lize@GLIBC_2.2.5 (3)');
    // Tabs and newlines are readelf's own layout; nothing else below 0x20.
    expect([...text].filter((c) => c !== '\n' && c !== '\t' && c.charCodeAt(0) < 0x20)).toEqual([]);
  });

  it('prints one JSON document with --json', async () => {
    const { status, text } = await run(['--json', repo + pie]);
    expect(status).toBe(0);
    expect(text.endsWith('}\n')).toBe(true);
    const d = JSON.parse(text) as ElfDescription;
    expect(Object.keys(d).sort()).toEqual(['dynamic', 'file', 'header', 'interpreter', 'notes', 'programHeaders', 'sections', 'segmentSections', 'symbolTables', 'warnings']);
    expect(d.file).toBe(repo + pie);
    expect(d.header.machineName).toBe('Advanced Micro Devices X86-64');
    expect(d.symbolTables.map((t) => [t.name, t.count, t.symbols.length])).toEqual([['.dynsym', 6, 6]]);
    expect(d.symbolTables[0]!.symbols[1]).toEqual({
      index: 1, value: '0x0', size: 0, type: 'FUNC', bind: 'GLOBAL', visibility: 'DEFAULT', ndx: 'UND',
      name: '__libc_start_main', version: 'GLIBC_2.34', versionKind: 'needed', versionIndex: 2,
    });
  });

  it('streams big symbol tables as valid JSON', async () => {
    // More symbols than one JSON chunk holds (8192).
    const count = 20000;
    const names = Array.from({ length: count }, (_, i) => `sym_${i}`);
    const strtab = new TextEncoder().encode(`\0${names.join('\0')}\0`);
    const syms = new Uint8Array(24 * (count + 1));
    const v = new DataView(syms.buffer);
    let nameAt = 1;
    for (let i = 0; i < count; i++) {
      const b = (i + 1) * 24;
      v.setUint32(b, nameAt, true);
      nameAt += names[i]!.length + 1;
      v.setUint8(b + 4, 0x12);
      v.setUint16(b + 6, 0xfff1, true);
      v.setBigUint64(b + 8, BigInt(i) * 16n, true);
    }
    const file = join(scratch, 'many');
    writeFileSync(file, elfWithSymbols(syms, strtab));
    const d = JSON.parse((await run([file, '--json'])).text) as ElfDescription;
    const table = d.symbolTables[0]!;
    expect(table.symbols.length).toBe(count + 1);
    expect(table.symbols.map((s) => s.index)).toEqual(Array.from({ length: count + 1 }, (_, i) => i));
    expect(table.symbols[count]).toMatchObject({ name: `sym_${count - 1}`, value: `0x${((count - 1) * 16).toString(16)}`, ndx: 'ABS' });
  });

  it('names the file, offset and field when the file is malformed', async () => {
    const file = join(scratch, 'truncated');
    writeFileSync(file, readFileSync(repo + pie).subarray(0, 40));
    const error = await run([file]).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ElfError);
    expect((error as Error).message).toBe(`${file}: offset 0x28: Elf_Ehdr: file ends before the 64-byte header`);
  });

  it('rejects bad command lines with a usage error', async () => {
    await expect(run([])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['a', 'b'])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['--yaml', repo + pie])).rejects.toBeInstanceOf(UsageError);
  });
});

/** A minimal ELF64 file holding one .symtab and its .strtab. */
function elfWithSymbols(syms: Uint8Array, strtab: Uint8Array): Uint8Array {
  const shstr = new TextEncoder().encode('\0.symtab\0.strtab\0.shstrtab\0');
  const symAt = 64;
  const strAt = symAt + syms.length;
  const shstrAt = strAt + strtab.length;
  const shoff = (shstrAt + shstr.length + 7) & ~7;
  const bytes = new Uint8Array(shoff + 4 * 64);
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  v.setUint16(16, 1, true);
  v.setUint16(18, 62, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(40, BigInt(shoff), true);
  v.setUint16(52, 64, true);
  v.setUint16(54, 56, true);
  v.setUint16(58, 64, true);
  v.setUint16(60, 4, true);
  v.setUint16(62, 3, true);
  bytes.set(syms, symAt);
  bytes.set(strtab, strAt);
  bytes.set(shstr, shstrAt);
  const sh = (i: number, name: number, type: number, offset: number, size: number, link: number, entsize: number) => {
    const b = shoff + i * 64;
    v.setUint32(b, name, true);
    v.setUint32(b + 4, type, true);
    v.setBigUint64(b + 24, BigInt(offset), true);
    v.setBigUint64(b + 32, BigInt(size), true);
    v.setUint32(b + 40, link, true);
    v.setBigUint64(b + 56, BigInt(entsize), true);
  };
  sh(1, 1, 2, symAt, syms.length, 2, 24);
  sh(2, 9, 3, strAt, strtab.length, 0, 0);
  sh(3, 17, 3, shstrAt, shstr.length, 0, 0);
  return bytes;
}
