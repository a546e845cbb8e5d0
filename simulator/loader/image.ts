import { ElfError } from '../elf/errors';
import { ElfFile } from '../elf/elf-file';
import { ET_DYN, ET_EXEC } from '../elf/header';
import { PT_GNU_STACK, PT_INTERP, PT_LOAD } from '../elf/names';
import { PF_X, PHDR_SIZE_64, type ProgramHeader } from '../elf/program-headers';
import type { MappedFile } from '../mm/vma';
import { ExecError } from './exec-error';
import type { FileSystem } from './file-system';
import { EM_X86_64 } from './x86-64';

/** An ELF file opened for execve: its headers and the identity its VMAs show. */
export interface ExecImage {
  readonly elf: ElfFile;
  readonly file: MappedFile;
  readonly phdrs: readonly ProgramHeader[];
  readonly loads: readonly ProgramHeader[];
}

/**
 * Opens and checks a file the way load_elf_binary and load_elf_phdrs do
 * (fs/binfmt_elf.c). `role` picks the errno: ENOEXEC for the program,
 * ELIBBAD for its interpreter.
 */
export async function openExecImage(fs: FileSystem, path: string, role: 'program' | 'interpreter'): Promise<ExecImage> {
  const fail = (reason: string) => new ExecError(role === 'program' ? 'ENOEXEC' : 'ELIBBAD', `${role === 'interpreter' ? `interpreter ${path}: ` : ''}${reason}`);
  let opened;
  try {
    opened = role === 'program' ? await fs.openProgram(path) : await fs.open(path);
  } catch (error) {
    if (role === 'interpreter') throw new ExecError('ENOENT', `interpreter ${path} cannot be opened: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
  let elf: ElfFile;
  try {
    elf = await ElfFile.open(opened.access);
  } catch (error) {
    if (error instanceof ElfError) {
      const head = await opened.access.read(0, Math.min(2, opened.access.size));
      if (head[0] === 0x23 && head[1] === 0x21) throw new ExecError('ENOEXEC', `${opened.path} is a #! script; binfmt_script is not simulated: give the interpreter as FILE`);
      throw fail(error.message);
    }
    throw error;
  }
  const h = elf.header;
  if (role === 'program' && h.type !== ET_EXEC && h.type !== ET_DYN) throw fail(`e_type ${h.type} is neither ET_EXEC nor ET_DYN (offset 0x10)`);
  if (role === 'interpreter' && h.type !== ET_EXEC && h.type !== ET_DYN) throw new ExecError('EINVAL', `interpreter ${path}: e_type ${h.type} is neither ET_EXEC nor ET_DYN`);
  if (h.machine !== EM_X86_64) throw fail(`e_machine ${h.machine} is not x86-64 (62); the simulated machine is x86-64 (offset 0x12)`);
  if (!h.is64) throw fail('ELF32 x86-64 (x32) goes through compat_binfmt_elf, which is not simulated (offset 0x4)');
  // load_elf_phdrs: the table must be 1..4096 bytes of 56-byte entries.
  if (h.phentsize !== PHDR_SIZE_64) throw fail(`e_phentsize ${h.phentsize} is not ${PHDR_SIZE_64} (offset 0x36)`);
  const size = h.phnumRaw * PHDR_SIZE_64;
  if (size === 0 || size > 4096) throw fail(`e_phnum ${h.phnumRaw} gives a program header table of ${size} bytes, outside 1..4096 (offset 0x38)`);
  const identity = (await opened.access.identity()) ?? { major: 0, minor: 0, inode: 0 };
  return {
    elf,
    file: { path: opened.path, identity },
    phdrs: elf.programHeaders,
    loads: elf.programHeaders.filter((p) => p.type === PT_LOAD),
  };
}

/** The PT_INTERP path of the first PT_INTERP header, checked as load_elf_binary does. */
export async function interpreterPath(image: ExecImage): Promise<string | undefined> {
  if (!image.phdrs.some((p) => p.type === PT_INTERP)) return undefined;
  try {
    return await image.elf.interpreter();
  } catch (error) {
    if (error instanceof ElfError) throw new ExecError('ENOEXEC', error.message);
    throw error;
  }
}

export type ExecutableStack = 'default' | 'enable' | 'disable';

/** PT_GNU_STACK decides executable_stack; the last such header wins. */
export function executableStack(image: ExecImage): ExecutableStack {
  let result: ExecutableStack = 'default';
  for (const p of image.phdrs) if (p.type === PT_GNU_STACK) result = p.flags & PF_X ? 'enable' : 'disable';
  return result;
}
