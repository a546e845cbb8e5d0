import { MemoryFileAccess } from '../../simulator/elf/file-access';
import type { OpenedFile } from '../../simulator/loader/file-system';

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;

/**
 * The smallest interpreter execve accepts: ELF64 x86-64 ET_DYN with one read-only PT_LOAD of one
 * page. The interpreter takes no random values, so the program, brk and stack land exactly where
 * they would with the real one; only the interpreter's and the vDSO's places are unknown.
 */
export function placeholderInterpreter(path: string): OpenedFile {
  const bytes = new Uint8Array(EHDR_SIZE + PHDR_SIZE);
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]); // \x7fELF, ELFCLASS64, little endian, EV_CURRENT
  v.setUint16(16, 3, true); // e_type = ET_DYN
  v.setUint16(18, 62, true); // e_machine = EM_X86_64
  v.setUint32(20, 1, true); // e_version
  v.setBigUint64(32, BigInt(EHDR_SIZE), true); // e_phoff
  v.setUint16(52, EHDR_SIZE, true); // e_ehsize
  v.setUint16(54, PHDR_SIZE, true); // e_phentsize
  v.setUint16(56, 1, true); // e_phnum
  const p = EHDR_SIZE;
  v.setUint32(p, 1, true); // p_type = PT_LOAD
  v.setUint32(p + 4, 4, true); // p_flags = PF_R
  v.setBigUint64(p + 32, BigInt(bytes.length), true); // p_filesz
  v.setBigUint64(p + 40, BigInt(bytes.length), true); // p_memsz
  v.setBigUint64(p + 48, 0x1000n, true); // p_align
  return { access: new MemoryFileAccess(path, bytes), path };
}
