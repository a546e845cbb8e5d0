// A relocatable ELF file with many symbols, written from scratch, for the symbol grid's benchmark.
import { writeFileSync } from 'node:fs';

const SYM_SIZE = 24;
const SHDR_SIZE = 64;
const WORDS = ['alloc', 'copy', 'free', 'init', 'parse', 'read', 'scan', 'write'];

/** An ELF64 x86-64 ET_REL with `count` global functions (plus the null symbol) in one .text. */
export function writeSymbolElf(path: string, count: number): void {
  const names: string[] = [];
  for (let i = 0; i < count; i++) names.push(`${WORDS[i % WORDS.length]}_${i.toString(36)}_${WORDS[(i >> 3) % WORDS.length]}`);
  const strtab = Buffer.from('\0' + names.join('\0') + '\0', 'latin1');
  const shstrtab = Buffer.from('\0.text\0.symtab\0.strtab\0.shstrtab\0', 'latin1');
  const textSize = count * 16;
  const symtabOffset = 64;
  const symtabSize = (count + 1) * SYM_SIZE;
  const strtabOffset = symtabOffset + symtabSize;
  const shstrtabOffset = strtabOffset + strtab.length;
  const shoff = Math.ceil((shstrtabOffset + shstrtab.length) / 8) * 8;
  const file = Buffer.alloc(shoff + 5 * SHDR_SIZE);
  file.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  file.writeUInt16LE(1, 16); // ET_REL
  file.writeUInt16LE(62, 18); // EM_X86_64
  file.writeUInt32LE(1, 20);
  file.writeBigUInt64LE(BigInt(shoff), 40);
  file.writeUInt16LE(64, 52);
  file.writeUInt16LE(SHDR_SIZE, 58);
  file.writeUInt16LE(5, 60); // e_shnum
  file.writeUInt16LE(4, 62); // e_shstrndx
  let nameOffset = 1;
  for (let i = 0; i < count; i++) {
    const at = symtabOffset + (i + 1) * SYM_SIZE;
    file.writeUInt32LE(nameOffset, at);
    file.writeUInt8(0x12, at + 4); // STB_GLOBAL, STT_FUNC
    file.writeUInt16LE(1, at + 6); // .text
    file.writeBigUInt64LE(BigInt(i * 16), at + 8);
    file.writeBigUInt64LE(16n, at + 16);
    nameOffset += (names[i] as string).length + 1;
  }
  file.set(strtab, strtabOffset);
  file.set(shstrtab, shstrtabOffset);
  const section = (index: number, name: number, type: number, flags: number, offset: number, size: number, link = 0, info = 0, entsize = 0) => {
    const at = shoff + index * SHDR_SIZE;
    file.writeUInt32LE(name, at);
    file.writeUInt32LE(type, at + 4);
    file.writeBigUInt64LE(BigInt(flags), at + 8);
    file.writeBigUInt64LE(BigInt(offset), at + 24);
    file.writeBigUInt64LE(BigInt(size), at + 32);
    file.writeUInt32LE(link, at + 40);
    file.writeUInt32LE(info, at + 44);
    file.writeBigUInt64LE(1n, at + 48);
    file.writeBigUInt64LE(BigInt(entsize), at + 56);
  };
  section(1, 1, 8, 0x6, 0, textSize); // .text: SHT_NOBITS, AX (no bytes needed)
  section(2, 7, 2, 0, symtabOffset, symtabSize, 3, 1, SYM_SIZE); // .symtab → .strtab
  section(3, 15, 3, 0, strtabOffset, strtab.length);
  section(4, 23, 3, 0, shstrtabOffset, shstrtab.length);
  writeFileSync(path, file);
}
