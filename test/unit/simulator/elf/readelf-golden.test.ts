// Compares the ELF reader, describeElf and `asx elf`'s text against
// `readelf -hlSsdnW` output captured in test/golden/elf/ (readelf is not run here).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeElfText } from '../../../../simulator/cli/elf-text';
import { describeElf, type ElfDescription } from '../../../../simulator/elf/describe';
import { ElfFile } from '../../../../simulator/elf/elf-file';
import { MemoryFileAccess } from '../../../../simulator/elf/file-access';

const binDir = fileURLToPath(new URL('../../../fixtures/elf/bin/', import.meta.url));
const goldenDir = fileURLToPath(new URL('../../../golden/elf/', import.meta.url));
const fixtures = readdirSync(binDir).filter((n) => !n.startsWith('.')).sort();

async function open(name: string): Promise<ElfFile> {
  return ElfFile.open(new MemoryFileAccess(name, new Uint8Array(readFileSync(binDir + name))));
}

const descriptions = new Map<string, Promise<ElfDescription>>();
function describeFixture(name: string): Promise<ElfDescription> {
  let d = descriptions.get(name);
  if (!d) {
    d = open(name).then(describeElf);
    descriptions.set(name, d);
  }
  return d;
}

function golden(name: string): string {
  return readFileSync(`${goldenDir}${name}.readelf.txt`, 'utf8');
}

function render(d: ElfDescription): string {
  const parts: string[] = [];
  writeElfText(d, { write: (t) => parts.push(t) });
  return parts.join('');
}

/** The lines of the block that starts at the line equal to `heading`, up to the next blank line. */
function block(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l === heading || l.startsWith(heading));
  if (start < 0) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

function headerField(text: string, label: string): string {
  const line = text.split('\n').find((l) => l.startsWith(`  ${label}`));
  if (line === undefined) throw new Error(`no ${label} in golden`);
  return line.slice(37);
}

const hex = (s: string) => `0x${BigInt(`0x${s}`).toString(16)}`;

it('has a golden file for every fixture', () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(10);
  for (const name of fixtures) expect(() => golden(name)).not.toThrow();
});

describe.each(fixtures)('%s against readelf -hlSsdnW', (name) => {
  const text = golden(name);

  it('prints the same text as readelf', async () => {
    expect(render(await describeFixture(name))).toBe(text);
  });

  it('reads the file header', async () => {
    const { header: h } = await describeFixture(name);
    expect(h.magic).toBe(text.split('\n')[1]!.slice('  Magic:   '.length).trim());
    expect(h.class).toBe(headerField(text, 'Class:'));
    expect(h.data).toBe(headerField(text, 'Data:'));
    expect(h.osabiName).toBe(headerField(text, 'OS/ABI:'));
    expect(h.typeName).toBe(headerField(text, 'Type:'));
    expect(h.machineName).toBe(headerField(text, 'Machine:'));
    expect(h.entry).toBe(headerField(text, 'Entry point address:'));
    expect(BigInt(h.phoff).toString()).toBe(headerField(text, 'Start of program headers:').split(' ')[0]);
    expect(BigInt(h.shoff).toString()).toBe(headerField(text, 'Start of section headers:').split(' ')[0]);
    expect(String(h.phnum)).toBe(headerField(text, 'Number of program headers:'));
    expect(String(h.shnum)).toBe(headerField(text, 'Number of section headers:'));
    expect(String(h.shstrndx)).toBe(headerField(text, 'Section header string table index:'));
  });

  it('reads the program headers', async () => {
    const d = await describeFixture(name);
    const rows = block(text, 'Program Headers:').slice(1).filter((l) => !l.includes('[Requesting'));
    expect(d.programHeaders.length).toBe(rows.length);
    rows.forEach((row, i) => {
      const m = /^ {2}(\S+) +0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) (.{3}) (0x[0-9a-f]+)$/.exec(row);
      expect(m, row).not.toBeNull();
      const p = d.programHeaders[i]!;
      expect([p.typeName, p.offset, p.vaddr, p.paddr, p.filesz, p.memsz, p.flagsText, p.align]).toEqual([
        m![1], hex(m![2]!), hex(m![3]!), hex(m![4]!), hex(m![5]!), hex(m![6]!), m![7], m![8],
      ]);
    });
    const interp = /\[Requesting program interpreter: (.*)\]/.exec(text);
    expect(d.interpreter).toBe(interp ? interp[1] : null);
  });

  it('reads the section headers, names and flags', async () => {
    const d = await describeFixture(name);
    const rows = block(text, 'Section Headers:').slice(1).filter((l) => l.startsWith('  ['));
    expect(d.sections.length).toBe(rows.length);
    rows.forEach((row, i) => {
      const m = /^ {2}\[ *(\d+)\] (\S*) +(\S+) +([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) (.{3}) +(\d+) +(\d+) +(\d+)$/.exec(row);
      expect(m, row).not.toBeNull();
      const s = d.sections[i]!;
      expect([s.index, s.name, s.typeName, s.addr, s.offset, s.size, s.entsize, s.flagLetters, s.link, s.info, BigInt(s.addralign)]).toEqual([
        Number(m![1]), m![2], m![3], hex(m![4]!), hex(m![5]!), hex(m![6]!), hex(m![7]!), m![8]!.trim(), Number(m![9]), Number(m![10]), BigInt(m![11]!),
      ]);
    });
  });

  it('maps sections to segments as readelf does', async () => {
    const d = await describeFixture(name);
    const rows = block(text, ' Section to Segment mapping:').slice(1);
    const expected = rows.map((r) => r.slice('   00     '.length).split(' ').filter(Boolean));
    expect(d.segmentSections).toEqual(expected);
  });

  it('reads the dynamic section', async () => {
    const d = await describeFixture(name);
    const rows = block(text, 'Dynamic section at offset').slice(1);
    if (!rows.length) {
      expect(d.dynamic).toBeNull();
      return;
    }
    const offset = /Dynamic section at offset (0x[0-9a-f]+) contains (\d+) entr/.exec(text)!;
    expect(d.dynamic!.offset).toBe(offset[1]);
    expect(d.dynamic!.entries.length).toBe(Number(offset[2]));
    rows.forEach((row, i) => {
      const m = /^ 0x([0-9a-f]+) \((\S+)\) +(.*)$/.exec(row);
      const e = d.dynamic!.entries[i]!;
      if (!m) {
        expect(row).toMatch(/^ 0x[0-9a-f]+ \(\S+\) +$/); // e.g. BIND_NOW: no value
        expect(e.text).toBe('');
        return;
      }
      expect([e.tag, e.tagName, e.text]).toEqual([hex(m[1]!), m[2], m[3]]);
    });
  });

  it('reads the symbol tables', async () => {
    const d = await describeFixture(name);
    const headings = [...text.matchAll(/^Symbol table '(\S+)' contains (\d+) entr(?:y|ies):$/gm)];
    expect(d.symbolTables.map((t) => [t.name, t.count])).toEqual(headings.map((m) => [m[1], Number(m[2])]));
    for (const table of d.symbolTables) {
      const rows = block(text, `Symbol table '${table.name}'`).slice(1);
      expect(table.symbols.length).toBe(rows.length);
      rows.forEach((row, i) => {
        const m = /^ *(\d+): ([0-9a-f]+) +(\S+) (\S+) +(\S+) +(\S+) +(\S+) ?(.*)$/.exec(row)!;
        const s = table.symbols[i]!;
        const version = s.version === undefined ? '' : s.versionKind === 'needed' ? `@${s.version} (${s.versionIndex})` : `${s.versionKind === 'hidden' ? '@' : '@@'}${s.version}`;
        expect([s.index, s.value, s.size, s.type, s.bind, s.visibility, String(s.ndx), s.name + version]).toEqual([
          Number(m[1]), hex(m[2]!), Number(m[3]), m[4], m[5], m[6], m[7], m[8],
        ]);
      });
    }
  });

  it('reads the notes', async () => {
    const d = await describeFixture(name);
    const areas = [...text.matchAll(/^Displaying notes found in: (\S+)$/gm)].map((m) => m[1]);
    expect(d.notes.map((a) => a.section)).toEqual(areas);
    const buildId = /Build ID: ([0-9a-f]+)/.exec(text);
    const all = d.notes.flatMap((a) => a.notes);
    const build = all.find((n) => n.typeName.startsWith('NT_GNU_BUILD_ID'));
    expect(build?.summary).toBe(buildId ? `Build ID: ${buildId[1]}` : undefined);
    const abi = /OS: Linux, ABI: [\d.]+/.exec(text);
    expect(all.find((n) => n.typeName.startsWith('NT_GNU_ABI_TAG'))?.summary).toBe(abi?.[0]);
    const properties = /Properties: (.*)$/m.exec(text);
    expect(all.find((n) => n.typeName === 'NT_GNU_PROPERTY_TYPE_0')?.summary.split('\n').join(', ')).toBe(properties?.[1]);
  });
});

describe('fixture specifics', () => {
  it('pie: ET_DYN PIE with libc NEEDED and FLAGS_1 PIE', async () => {
    const d = await describeFixture('pie');
    expect(d.header.type).toBe(3);
    expect(d.header.typeName).toBe('DYN (Position-Independent Executable file)');
    expect(d.interpreter).toBe('/lib64/ld-linux-x86-64.so.2');
    const needed = d.dynamic!.entries.filter((e) => e.tagName === 'NEEDED');
    expect(needed.map((e) => e.name)).toEqual(['libc.so.6']);
    expect(needed[0]!.text).toBe('Shared library: [libc.so.6]');
    const flags1 = d.dynamic!.entries.find((e) => e.tagName === 'FLAGS_1')!;
    expect(flags1.flags).toEqual(['PIE']);
    expect(flags1.value).toBe('0x8000000');
    const dynsym = d.symbolTables.find((t) => t.name === '.dynsym')!;
    const start = dynsym.symbols.find((s) => s.name === '__libc_start_main')!;
    expect(start).toMatchObject({ value: '0x0', ndx: 'UND', type: 'FUNC', bind: 'GLOBAL', version: 'GLIBC_2.34', versionKind: 'needed' });
  });

  it('execlib.so: a shared object (no FLAGS_1 PIE) with an interpreter', async () => {
    const d = await describeFixture('execlib.so');
    expect(d.header.typeName).toBe('DYN (Shared object file)');
    expect(d.interpreter).toBe('/lib64/ld-linux-x86-64.so.2');
  });

  it('static: no interpreter, no dynamic section', async () => {
    const d = await describeFixture('static');
    expect(d.header.typeName).toBe('EXEC (Executable file)');
    expect(d.interpreter).toBeNull();
    expect(d.dynamic).toBeNull();
  });

  it('execstack: PT_GNU_STACK is RWE', async () => {
    const d = await describeFixture('execstack');
    expect(d.programHeaders.find((p) => p.typeName === 'GNU_STACK')!.flagsText).toBe('RWE');
  });

  it('align2m: LOAD segments aligned to 2 MiB', async () => {
    const d = await describeFixture('align2m');
    expect(d.programHeaders.filter((p) => p.typeName === 'LOAD').every((p) => p.align === '0x200000')).toBe(true);
  });

  it('noseparate has fewer LOAD segments than pie', async () => {
    const loads = async (n: string) => (await describeFixture(n)).programHeaders.filter((p) => p.typeName === 'LOAD').length;
    expect(await loads('noseparate')).toBeLessThan(await loads('pie'));
  });

  it('ttext: first LOAD at 0x10000000', async () => {
    const d = await describeFixture('ttext');
    expect(d.programHeaders.find((p) => p.typeName === 'LOAD')!.vaddr).toBe('0x10000000');
  });

  it('bigbss: .bss is NOBITS and memsz exceeds filesz', async () => {
    const d = await describeFixture('bigbss');
    const bss = d.sections.find((s) => s.name === '.bss')!;
    expect(bss.typeName).toBe('NOBITS');
    expect(BigInt(bss.size)).toBeGreaterThan(4n << 20n);
    const rw = d.programHeaders.filter((p) => p.typeName === 'LOAD').at(-1)!;
    expect(BigInt(rw.memsz) - BigInt(rw.filesz)).toBeGreaterThan(4n << 20n);
  });

  it('the document is plain JSON with 64-bit values as lowercase hex strings', async () => {
    const d = await describeFixture('pie');
    const copy = JSON.parse(JSON.stringify(d)) as ElfDescription;
    expect(copy).toEqual(JSON.parse(JSON.stringify(d)));
    expect(copy.header.entry).toMatch(/^0x[0-9a-f]+$/);
    for (const s of copy.sections) for (const v of [s.addr, s.offset, s.size, s.entsize, s.addralign, s.flags]) expect(v).toMatch(/^0x[0-9a-f]+$/);
    for (const s of copy.symbolTables[0]!.symbols) {
      expect(s.value).toMatch(/^0x[0-9a-f]+$/);
      expect(typeof s.size).toBe('number');
    }
  });
});
