import type { DynamicDescription, ElfDescription, NoteAreaDescription, SymbolTableDescription } from '../elf/describe';
import type { Output } from './main';

/** Lines per out.write call for the big tables. */
const LINES_PER_WRITE = 4096;

/** Writes the description laid out as `readelf -hlSsdnW` does. */
export function writeElfText(d: ElfDescription, out: Output): void {
  out.write(headerText(d));
  out.write(sectionsText(d));
  out.write(programHeadersText(d));
  out.write(dynamicText(d.dynamic, d.header.is64));
  const sectionNames = d.sections.map((s) => s.name);
  for (const table of d.symbolTables) writeSymbolTable(table, d.header.is64, sectionNames, out);
  out.write(notesText(d.notes));
}

/**
 * A section or symbol name as readelf prints it: a C0 control character in caret notation (`^A`,
 * `^[`), DEL as `^?` and a C1 control as `M-^X` (readelf writes the bytes 0x7f + 0x40 and the
 * first byte of a multibyte character there, which no UTF-8 text can hold). Names without any
 * are returned as they are.
 */
export function printableName(name: string): string {
  // One native scan for the 185,000 names of a big program (a loop of charCodeAt cost 10% of asx elf).
  if (!CONTROL.test(name)) return name;
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20) out += `^${String.fromCharCode(c + 0x40)}`;
    else if (c === 0x7f) out += '^?';
    else if (c >= 0x80 && c <= 0x9f) out += `M-^${String.fromCharCode(c - 0x40)}`;
    else out += name[i];
  }
  return out;
}

/** C0, DEL and C1 (built from char codes: a regular expression literal may not hold control characters). */
const CONTROL = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(0x1f)}${String.fromCharCode(0x7f)}-${String.fromCharCode(0x9f)}]`);

/** "0x1f" → "00001f" (at least `width` digits). */
function digits(hex: string, width: number): string {
  return hex.slice(2).padStart(width, '0');
}

function decimal(hex: string): string {
  return BigInt(hex).toString();
}

function headerText(d: ElfDescription): string {
  const h = d.header;
  const row = (label: string, value: string | number) => `  ${label.padEnd(35)}${value}\n`;
  const escaped = (raw: number, real: number, escape: number) => (raw === escape || (escape === 0 && raw === 0 && real !== 0) ? `${raw} (${real})` : `${raw}`);
  return 'ELF Header:\n'
    + `  Magic:   ${h.magic} \n`
    + row('Class:', h.class)
    + row('Data:', h.data)
    + row('Version:', h.identVersion === 1 ? '1 (current)' : `${h.identVersion} <unknown>`)
    + row('OS/ABI:', h.osabiName)
    + row('ABI Version:', h.abiVersion)
    + row('Type:', h.typeName)
    + row('Machine:', h.machineName)
    + row('Version:', h.version)
    + row('Entry point address:', h.entry)
    + row('Start of program headers:', `${decimal(h.phoff)} (bytes into file)`)
    + row('Start of section headers:', `${decimal(h.shoff)} (bytes into file)`)
    + row('Flags:', h.flags)
    + row('Size of this header:', `${h.ehsize} (bytes)`)
    + row('Size of program headers:', `${h.phentsize} (bytes)`)
    + row('Number of program headers:', escaped(h.phnumRaw, h.phnum, 0xffff))
    + row('Size of section headers:', `${h.shentsize} (bytes)`)
    + row('Number of section headers:', escaped(h.shnumRaw, h.shnum, 0))
    + row('Section header string table index:', escaped(h.shstrndxRaw, h.shstrndx, 0xffff) + (h.shstrndx !== 0 && h.shstrndx < 0xff00 && h.shstrndx >= h.shnum ? ' <corrupt: out of range>' : ''));
}

function sectionsText(d: ElfDescription): string {
  // A table that could not be read (a warning) prints nothing, as readelf does.
  if (!d.sections.length) return d.header.shnum ? '' : '\nThere are no sections in this file.\n';
  const is64 = d.header.is64;
  const lines = ['', 'Section Headers:', is64
    ? '  [Nr] Name              Type            Address          Off    Size   ES Flg Lk Inf Al'
    : '  [Nr] Name              Type            Addr     Off    Size   ES Flg Lk Inf Al'];
  for (const s of d.sections) {
    lines.push(`  [${String(s.index).padStart(2)}] ${printableName(s.name).padEnd(17)} ${s.typeName.slice(0, 15).padEnd(15)} ${digits(s.addr, is64 ? 16 : 8)} ${digits(s.offset, 6)} ${digits(s.size, 6)} ${digits(s.entsize, 2)} ${s.flagLetters.padStart(3)} ${String(s.link).padStart(2)} ${String(s.info).padStart(3)} ${decimal(s.addralign).padStart(2)}`);
  }
  lines.push(
    'Key to Flags:',
    '  W (write), A (alloc), X (execute), M (merge), S (strings), I (info),',
    '  L (link order), O (extra OS processing required), G (group), T (TLS),',
    '  C (compressed), x (unknown), o (OS specific), E (exclude),',
    `  ${[3, 9].includes(d.header.osabi) ? 'R (retain), ' : ''}D (mbind), ${d.header.machine === 62 ? 'l (large), ' : d.header.machine === 40 ? 'y (purecode), ' : ''}p (processor specific)`,
  );
  return lines.join('\n') + '\n';
}

function programHeadersText(d: ElfDescription): string {
  if (!d.programHeaders.length) return '\nThere are no program headers in this file.\n';
  const is64 = d.header.is64;
  const lines = ['', 'Program Headers:', is64
    ? '  Type           Offset   VirtAddr           PhysAddr           FileSiz  MemSiz   Flg Align'
    : '  Type           Offset   VirtAddr   PhysAddr   FileSiz MemSiz  Flg Align'];
  const a = is64 ? 16 : 8;
  const z = is64 ? 6 : 5;
  for (const p of d.programHeaders) {
    lines.push(`  ${p.typeName.padEnd(14)} 0x${digits(p.offset, 6)} 0x${digits(p.vaddr, a)} 0x${digits(p.paddr, a)} 0x${digits(p.filesz, z)} 0x${digits(p.memsz, z)} ${p.flagsText} ${p.align}`);
    if (p.typeName === 'INTERP' && d.interpreter !== null) lines.push(`      [Requesting program interpreter: ${d.interpreter}]`);
  }
  // readelf maps sections to segments only with the section headers and their names
  if (!d.sections.length || d.sections[0]?.name === '<no-strings>') return lines.join('\n') + '\n';
  lines.push('', ' Section to Segment mapping:', '  Segment Sections...');
  d.segmentSections.forEach((names, i) => {
    lines.push(`   ${String(i).padStart(2, '0')}     ${names.map((n) => `${printableName(n)} `).join('')}`);
  });
  return lines.join('\n') + '\n';
}

function dynamicText(dynamic: DynamicDescription | null, is64: boolean): string {
  if (!dynamic) return '\nThere is no dynamic section in this file.\n';
  const lines = ['', `Dynamic section at offset ${dynamic.offset} contains ${dynamic.entries.length} ${dynamic.entries.length === 1 ? 'entry' : 'entries'}:`, '  Tag        Type                         Name/Value'];
  const typeWidth = is64 ? 19 : 27;
  for (const e of dynamic.entries) {
    const pad = ' '.repeat(Math.max(1, typeWidth - e.tagName.length));
    lines.push(` 0x${digits(e.tag, is64 ? 16 : 8)} (${e.tagName})${pad}${e.text}`);
  }
  return lines.join('\n') + '\n';
}

const padCache = new Map<string, string>();
function padEndCached(text: string, width: number): string {
  const key = `${width}:${text}`;
  let padded = padCache.get(key);
  if (padded === undefined) {
    padded = text.padEnd(width);
    padCache.set(key, padded);
  }
  return padded;
}

function writeSymbolTable(table: SymbolTableDescription, is64: boolean, sectionNames: readonly string[], out: Output): void {
  out.write(`\nSymbol table '${table.name}' contains ${table.count} ${table.count === 1 ? 'entry' : 'entries'}:\n`
    + (is64 ? '   Num:    Value          Size Type    Bind   Vis      Ndx Name\n' : '   Num:    Value  Size Type    Bind   Vis      Ndx Name\n'));
  const width = is64 ? 16 : 8;
  const zeros = '0'.repeat(width);
  let lines: string[] = [];
  const symbols = table.symbols;
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i]!;
    const value = s.value.slice(2);
    const size = s.size <= 99999 ? String(s.size).padStart(5) : `0x${s.size.toString(16)}`;
    const ndx = typeof s.ndx === 'number' ? String(s.ndx).padStart(4) : s.ndx.padStart(4);
    let name = s.name;
    // readelf names an unnamed section symbol after its section.
    if (name === '' && s.type === 'SECTION' && typeof s.ndx === 'number') name = sectionNames[s.ndx] ?? '';
    if (s.version !== undefined) {
      name += s.versionKind === 'needed' ? `@${s.version} (${s.versionIndex})` : s.versionKind === 'hidden' ? `@${s.version}` : `@@${s.version}`;
    }
    lines.push(`${String(s.index).padStart(6)}: ${value.length < width ? zeros.slice(value.length) + value : value} ${size} ${padEndCached(s.type, 7)} ${padEndCached(s.bind, 6)} ${padEndCached(s.visibility, 7)} ${ndx} ${printableName(name)}`);
    if (lines.length === LINES_PER_WRITE) {
      out.write(lines.join('\n') + '\n');
      lines = [];
    }
  }
  if (lines.length) out.write(lines.join('\n') + '\n');
}

function notesText(areas: readonly NoteAreaDescription[]): string {
  let text = '';
  for (const area of areas) {
    text += area.section !== null
      ? `\nDisplaying notes found in: ${area.section}\n`
      : `\nDisplaying notes found at file offset 0x${digits(area.offset, 8)} with length 0x${digits(area.size, 8)}:\n`;
    text += '  Owner                Data size \tDescription\n';
    for (const n of area.notes) {
      let line = `  ${n.owner.padEnd(20)} 0x${n.dataSize.toString(16).padStart(8, '0')}\t${n.typeName}`;
      if (n.typeName === 'NT_GNU_PROPERTY_TYPE_0') line += `\t      Properties: ${n.summary.split('\n').join(', ')}`;
      else if (n.summary) line += `\t    ${n.summary}`;
      text += line + '\n';
    }
  }
  return text;
}
