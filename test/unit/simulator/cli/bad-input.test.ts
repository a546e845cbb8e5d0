// Bad input to `asx elf` and `asx maps`: one line on stderr that says what is
// wrong and where, a non-zero exit status, and never a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const pie = new Uint8Array(readFileSync(join(repo, 'test/fixtures/elf/bin/pie')));
const scratch = mkdtempSync(join(tmpdir(), 'asx-bad-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the pie fixture with `edit` applied. */
function editedPie(edit: (bytes: Uint8Array, view: DataView) => void): Uint8Array {
  const bytes = pie.slice();
  edit(bytes, new DataView(bytes.buffer));
  return bytes;
}

/** A bare ELF header: no program or section headers unless the caller adds them. */
function elfHeader(is64: boolean, type: number, machine: number): Uint8Array {
  const size = is64 ? 64 : 52;
  const bytes = new Uint8Array(size);
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, 1, 1]);
  v.setUint16(16, type, true);
  v.setUint16(18, machine, true);
  v.setUint32(20, 1, true);
  v.setUint16(is64 ? 52 : 40, size, true);
  v.setUint16(is64 ? 54 : 42, is64 ? 56 : 32, true);
  v.setUint16(is64 ? 58 : 46, is64 ? 64 : 40, true);
  return bytes;
}

// pie's PT_INTERP is phdr[1]: "/lib64/ld-linux-x86-64.so.2" at 0x318, 0x1c bytes.
const INTERP_AT = 0x318;
const INTERP_SIZE = 0x1c;
const text = (s: string) => new TextEncoder().encode(s);

interface BadFile {
  readonly name: string;
  /** File contents, or 'directory', or 'missing' (the path does not exist). */
  readonly content: Uint8Array | 'directory' | 'missing';
  /** Commands that must fail. */
  readonly commands: readonly ('elf' | 'maps')[];
  /** Each must occur in the message (besides "asx: " and the path). */
  readonly mentions: Readonly<Partial<Record<'elf' | 'maps', readonly (string | RegExp)[]>>>;
}

const OFFSET = /offset 0x[0-9a-f]+/;

const cases: readonly BadFile[] = [
  { name: 'empty', content: new Uint8Array(0), commands: ['elf', 'maps'], mentions: { elf: [OFFSET, 'e_ident'], maps: [OFFSET, 'e_ident', '(execve fails with ENOEXEC)'] } },
  { name: 'three-bytes', content: new Uint8Array([0x7f, 0x45, 0x4c]), commands: ['elf', 'maps'], mentions: { elf: [OFFSET, 'e_ident'], maps: [OFFSET, 'ENOEXEC'] } },
  { name: 'script.sh', content: text('#!/bin/sh\necho hello\n'), commands: ['elf', 'maps'], mentions: { elf: [OFFSET, 'e_ident[EI_MAG]'], maps: ['#! script', 'ENOEXEC'] } },
  {
    name: 'class3',
    content: (() => { const b = elfHeader(true, 3, 62); b[4] = 3; return b; })(),
    commands: ['elf', 'maps'],
    mentions: { elf: ['offset 0x4', 'e_ident[EI_CLASS]'], maps: ['offset 0x4', 'e_ident[EI_CLASS]', 'ENOEXEC'] },
  },
  { name: 'truncated-phdrs', content: pie.slice(0, 64 + 100), commands: ['elf', 'maps'], mentions: { elf: [OFFSET, 'e_phoff'], maps: [OFFSET, 'e_phoff', 'ENOEXEC'] } },
  {
    name: 'phoff-beyond-eof',
    content: editedPie((_, v) => v.setBigUint64(32, 0x100000n, true)),
    commands: ['elf', 'maps'],
    mentions: { elf: [OFFSET, 'e_phoff'], maps: [OFFSET, 'e_phoff', 'ENOEXEC'] },
  },
  {
    name: 'interp-unterminated',
    content: editedPie((b) => { b[INTERP_AT + INTERP_SIZE - 1] = 0x78; }),
    commands: ['maps'],
    mentions: { maps: [OFFSET, 'PT_INTERP', 'ENOEXEC'] },
  },
  {
    name: 'interp-missing',
    content: editedPie((b) => { b.fill(0, INTERP_AT, INTERP_AT + INTERP_SIZE); b.set(text('/no/such/ld.so'), INTERP_AT); }),
    commands: ['maps'],
    mentions: { maps: ['/no/such/ld.so', 'ENOENT'] },
  },
  { name: 'arm', content: editedPie((_, v) => v.setUint16(18, 40, true)), commands: ['maps'], mentions: { maps: ['offset 0x12', 'e_machine', 'ENOEXEC'] } },
  { name: 'elf32', content: elfHeader(false, 2, 3), commands: ['maps'], mentions: { maps: [OFFSET, 'e_machine', 'ENOEXEC'] } },
  { name: 'elf32-x86-64', content: elfHeader(false, 2, 62), commands: ['maps'], mentions: { maps: ['offset 0x4', 'ELF32', 'ENOEXEC'] } },
  { name: 'object.o', content: elfHeader(true, 1, 62), commands: ['maps'], mentions: { maps: ['offset 0x10', 'e_type', 'ENOEXEC'] } },
  { name: 'a-directory', content: 'directory', commands: ['elf', 'maps'], mentions: { elf: ['Is a directory', 'EISDIR'], maps: ['Permission denied', 'EACCES'] } },
  { name: 'nonexistent', content: 'missing', commands: ['elf', 'maps'], mentions: { elf: ['ENOENT'], maps: ['ENOENT'] } },
];

function materialize(c: BadFile): string {
  const path = join(scratch, c.name);
  if (c.content === 'directory') mkdirSync(path, { recursive: true });
  // Executable, as a compiler leaves its output: execve refuses a file with no x bit (EACCES) before it reads a byte.
  else if (c.content !== 'missing') writeFileSync(path, c.content, { mode: 0o755 });
  return path;
}

async function run(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, { write: (t) => out.push(t) }, { write: (t) => err.push(t) });
  return { status, stdout: out.join(''), stderr: err.join('') };
}

function expectOneLineError(stderr: string, path: string): void {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.split('\n')).toHaveLength(2);
  expect(stderr.startsWith('asx: ')).toBe(true);
  expect(stderr).toContain(path);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toContain('    at ');
}

describe('asx elf / asx maps on bad input', () => {
  for (const c of cases) {
    for (const command of c.commands) {
      it(`asx ${command} ${c.name}`, async () => {
        const path = materialize(c);
        const { status, stdout, stderr } = await run([command, path]);
        expect(status).not.toBe(0);
        expect(stdout).toBe('');
        expectOneLineError(stderr, path);
        for (const m of c.mentions[command] ?? []) {
          if (typeof m === 'string') expect(stderr).toContain(m);
          else expect(stderr).toMatch(m);
        }
      });
    }
  }

  it('the same files that asx maps refuses but asx elf can describe are described', async () => {
    for (const name of ['arm', 'object.o', 'elf32', 'interp-missing']) {
      const c = cases.find((x) => x.name === name) as BadFile;
      const { status, stderr } = await run(['elf', materialize(c)]);
      expect({ name, status, stderr }).toEqual({ name, status: 0, stderr: '' });
    }
  });

  it('asx elf shows what readelf shows of a file the kernel refuses, with a warning: interp-unterminated', async () => {
    const c = cases.find((x) => x.name === 'interp-unterminated') as BadFile;
    const path = materialize(c);
    const { status, stdout, stderr } = await run(['elf', path]);
    expect(status).toBe(0);
    expect(stdout).toContain('Program Headers:');
    expect(stderr).toMatch(/^asx: .*: warning: offset 0x[0-9a-f]+: phdr\[1\] PT_INTERP: .*NUL/);
  });

  // Hostile files whose tables overlap: small files that used to cost minutes or gigabytes.
  const hostile = (size: number, build: (b: Uint8Array, v: DataView) => void): Uint8Array => {
    const b = new Uint8Array(size);
    b.set(elfHeader(true, 3, 62));
    build(b, new DataView(b.buffer));
    return b;
  };
  const shdr = (v: DataView, at: number, type: number, offset: number, size: number, link: number, entsize: number) => {
    v.setUint32(at + 4, type, true);
    v.setBigUint64(at + 24, BigInt(offset), true);
    v.setBigUint64(at + 32, BigInt(size), true);
    v.setUint32(at + 40, link, true);
    v.setBigUint64(at + 56, BigInt(entsize), true);
  };
  const MIB = 1 << 20;
  const hostileCases: [string, Uint8Array, RegExp | undefined][] = [
    // PN_XNUM: 18,000 program headers over the same bytes as 16,000 section headers.
    ['phdrs-times-sections', hostile(MIB, (_, v) => {
      const n = (MIB - 64) / 64 - 1;
      v.setBigUint64(32, 64n, true);
      v.setUint16(56, 0xffff, true);
      v.setBigUint64(40, 64n, true);
      v.setBigUint64(64 + 32, BigInt(n), true);
      v.setUint32(64 + 44, Math.floor((MIB - 64) / 56), true);
      for (let i = 1; i < n; i++) shdr(v, 64 + i * 64, 1, 0, 16, 0, 0);
    }), /offset 0x38: e_phnum: .*implausible/],
    // 4,000 symbol tables, each the whole file.
    ['overlapping-symtabs', hostile(MIB, (_, v) => {
      v.setBigUint64(40, 64n, true);
      v.setUint16(60, 4000, true);
      shdr(v, 128, 3, 0, MIB, 0, 0);
      for (let i = 2; i < 4000; i++) shdr(v, 64 + i * 64, 2, 0, MIB, 1, 24);
    }), /offset 0x[0-9a-f]+: section \[\d+\]\.sh_size: .*overlap/],
    // A .gnu.version_r chain of 65,000 entries whose aux lists each run to the end of the section.
    ['verneed-walk', hostile(MIB, (b, v) => {
      const shoff = MIB - 5 * 64;
      v.setBigUint64(40, BigInt(shoff), true);
      v.setUint16(60, 5, true);
      v.setUint16(62, 1, true);
      b.set(text('\0.dynsym\0'), 0x1000 - 16);
      shdr(v, shoff + 64, 3, 0x1000 - 16, 16, 0, 0);
      shdr(v, shoff + 128, 11, 0, 48, 1, 24);
      v.setUint32(shoff + 128, 1, true);
      shdr(v, shoff + 192, 0x6fffffff, 0, 2, 2, 2);
      shdr(v, shoff + 256, 0x6ffffffe, 0x1000, shoff - 0x1000, 1, 0);
      for (let at = 0x1000; at + 16 <= shoff; at += 16) {
        v.setUint16(at + 2, 0xffff, true);
        v.setUint32(at + 12, 16, true);
      }
    }), undefined],
  ];
  for (const [name, bytes, message] of hostileCases) {
    it(`asx elf ${name}: ends (the test's timeout guards against a hang)`, async () => {
      const path = join(scratch, name);
      writeFileSync(path, bytes);
      const { status, stderr } = await run(['elf', path]);
      if (message) {
        // The part that would cost too much is passed over with a warning; the rest is shown.
        expect(status).toBe(0);
        expect(stderr).toMatch(message);
        expect(stderr).toContain('warning:');
        expect(stderr).not.toMatch(/^\s+at /m);
      } else {
        expect(stderr).toBe('');
      }
    });
  }

  const bundle = join(repo, 'dist/cli/asx.js');
  it.skipIf(!existsSync(bundle))('node bin/asx.js maps /nonexistent: exit status 1 and one stderr line', () => {
    const result = spawnSync(process.execPath, [join(repo, 'bin/asx.js'), 'maps', '/nonexistent'], { encoding: 'utf8', timeout: 10_000 });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expectOneLineError(result.stderr, '/nonexistent');
    expect(result.stderr).toContain('ENOENT');
  });
});
