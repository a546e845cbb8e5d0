import { ET_DYN, ET_EXEC } from '../elf/header';
import { PF_X, type ProgramHeader } from '../elf/program-headers';
import { MmStruct } from '../mm/mm-struct';
import { PAGE_SHIFT, PAGE_SIZE, pageAlign, pageStart, type VmaOrigin } from '../mm/vma';
import { elfLoad, makeProt, maximumAlignment, totalMappingSize, MAP_FIXED, MAP_FIXED_NOREPLACE, type ExecTouch, type MapContext } from './elf-map';
import { ExecError } from './exec-error';
import { copyArgStrings, createElfTables, setupArgPages } from './exec-stack';
import type { FileSystem } from './file-system';
import { executableStack, interpreterPath, openExecImage, type ExecImage } from './image';
import { archMmapRnd, archPickMmapLayout } from './mmap-layout';
import { Randomization, type AslrMode, type PinnedLayout, type RandomSource } from './randomization';
import { mapVdso, vsyscallGate } from './vdso';
import { BRK_RANDOM_RANGE, DEFAULT_STACK_RLIMIT, ELF_ET_DYN_BASE, TASK_SIZE } from './x86-64';

export interface ExecveOptions {
  /** argv; argv[0] is conventionally the path. */
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  readonly aslr: AslrMode;
  readonly seed: bigint;
  /** Overrides the seeded stream, e.g. with values read off a real process. */
  readonly randomSource?: RandomSource;
  /** RLIMIT_STACK soft limit in bytes (ulimit -s), 8 MiB by default. */
  readonly stackRlimit?: bigint;
  /** Whether files live on a filesystem whose mmap aligns big mappings to 2 MiB (ext4, xfs: yes). */
  readonly fileThpAlign?: boolean;
  /** Addresses taken as given instead of randomized (a twin of a real process). */
  readonly layout?: PinnedLayout;
}

/** What execve leaves behind at the program's first instruction. */
export interface ExecResult {
  readonly mm: MmStruct;
  readonly program: ExecImage;
  readonly interpreter?: ExecImage;
  /** load_bias of the program (0 for ET_EXEC). */
  readonly loadBias: bigint;
  /** AT_BASE: where the interpreter was loaded. */
  readonly interpreterBase?: bigint;
  /** AT_ENTRY: the program's entry point. */
  readonly programEntry: bigint;
  /** Where execution starts: the interpreter's entry, or the program's. */
  readonly entry: bigint;
  readonly phdrAddress: bigint;
  readonly vdsoBase: bigint;
  readonly stackPointer: bigint;
  readonly touches: readonly ExecTouch[];
}

const origin = (who: 'program' | 'interpreter', name: string) => (kind: 'file' | 'bss', p: ProgramHeader): VmaOrigin => {
  const what = `${p.flags & 4 ? 'r' : '-'}${p.flags & 2 ? 'w' : '-'}${p.flags & 1 ? 'x' : '-'}`;
  if (kind === 'bss') return { kind: who === 'program' ? 'bss' : 'interpreter-bss', phdrIndex: p.index, description: `${name}: anonymous zero-fill (bss) of PT_LOAD [${p.index}] past p_filesz (vm_brk_flags)` };
  return { kind: who === 'program' ? 'segment' : 'interpreter-segment', phdrIndex: p.index, description: `${name}: PT_LOAD [${p.index}] ${what} at p_vaddr 0x${p.vaddr.toString(16)}, file offset 0x${p.offset.toString(16)}` };
};

function checkSegment(p: ProgramHeader, bias: bigint): void {
  const k = p.vaddr + bias;
  if (k >= TASK_SIZE || p.filesz > p.memsz || p.memsz > TASK_SIZE || TASK_SIZE - p.memsz < k) {
    throw new ExecError('EINVAL', `PT_LOAD [${p.index}] at 0x${p.vaddr.toString(16)} (filesz 0x${p.filesz.toString(16)}, memsz 0x${p.memsz.toString(16)}) does not fit below TASK_SIZE or has p_filesz > p_memsz`);
  }
}

/**
 * execve of an ELF file on x86-64 Linux 6.x: load_elf_binary (fs/binfmt_elf.c)
 * with setup_new_exec, setup_arg_pages, load_elf_interp, map_vdso and
 * create_elf_tables, in the kernel's order.
 */
export async function execve(fs: FileSystem, path: string, options: ExecveOptions): Promise<ExecResult> {
  const stackRlimit = options.stackRlimit ?? DEFAULT_STACK_RLIMIT;
  const fileThpAlign = options.fileThpAlign ?? true;
  const strings = copyArgStrings({ filename: path, argv: options.argv, envp: options.envp }, stackRlimit);
  const program = await openExecImage(fs, path, 'program');
  const interpPath = await interpreterPath(program);
  const interpreter = interpPath === undefined ? undefined : await openExecImage(fs, interpPath, 'interpreter');
  const execStack = executableStack(program);

  // begin_new_exec; the PF_RANDOMIZE decision; setup_new_exec → arch_pick_mmap_layout.
  const random = new Randomization(options.aslr, options.randomSource ?? options.seed);
  const layout = options.layout;
  const mmapBase = layout?.mmapBase ?? archPickMmapLayout(random, stackRlimit);
  const mm = new MmStruct({ mmapBase, taskSize: TASK_SIZE });
  const argPages = setupArgPages(mm, random, strings, execStack, stackRlimit, layout?.stackTop);

  const touches: ExecTouch[] = [];
  const ctx: MapContext = { mm, file: program.file, fileThpAlign, touches, origin: origin('program', program.file.path) };
  const h = program.elf.header;
  let loadBias = 0n;
  let first = true;
  let elfBrk = 0n;
  let startCode = (1n << 64n) - 1n;
  let endCode = 0n;
  let startData = 0n;
  let endData = 0n;
  let phdrAddress = 0n;
  for (const p of program.loads) {
    const prot = makeProt(p.flags);
    let type = 0;
    let totalSize = 0n;
    if (!first) {
      type |= MAP_FIXED;
    } else if (h.type === ET_EXEC) {
      type |= MAP_FIXED_NOREPLACE;
    } else if (h.type === ET_DYN) {
      totalSize = totalMappingSize(program.loads);
      if (!totalSize) throw new ExecError('EINVAL', 'the PT_LOAD segments span no memory');
      const alignment = maximumAlignment(program.loads);
      if (interpreter) {
        loadBias = ELF_ET_DYN_BASE + archMmapRnd(random);
        if (alignment) loadBias &= ~(alignment - 1n);
        type |= MAP_FIXED_NOREPLACE;
      } else if (alignment > PAGE_SIZE) {
        // Find where the image would go, then realign it there.
        loadBias = elfLoad(ctx, 0n, p, prot, type, totalSize);
        mm.munmap(loadBias, loadBias + pageAlign(totalSize));
        loadBias &= ~(alignment - 1n);
        type |= MAP_FIXED_NOREPLACE;
      } else {
        loadBias = 0n;
      }
      if (layout?.load !== undefined) {
        loadBias = layout.load;
        type |= MAP_FIXED_NOREPLACE;
      }
      loadBias = pageStart(loadBias - p.vaddr);
    }
    checkSegment(p, 0n);
    const mapped = elfLoad(ctx, loadBias + p.vaddr, p, prot, type, totalSize);
    if (first) {
      first = false;
      if (h.type === ET_DYN) loadBias += mapped - pageStart(loadBias + p.vaddr);
    }
    if (p.offset <= h.phoff && h.phoff < p.offset + p.filesz) phdrAddress = h.phoff - p.offset + p.vaddr;
    const k = p.vaddr;
    if (p.flags & PF_X && k < startCode) startCode = k;
    if (startData < k) startData = k;
    const kf = p.vaddr + p.filesz;
    if (p.flags & PF_X && endCode < kf) endCode = kf;
    if (endData < kf) endData = kf;
    if (p.vaddr + p.memsz > elfBrk) elfBrk = p.vaddr + p.memsz;
  }
  const programEntry = h.entry + loadBias;
  phdrAddress += loadBias;
  elfBrk += loadBias;

  let entry = programEntry;
  let interpreterBase: bigint | undefined;
  if (interpreter) {
    interpreterBase = loadElfInterp(mm, interpreter, loadBias, fileThpAlign, touches);
    entry = interpreterBase + interpreter.elf.header.entry;
    if (entry >= TASK_SIZE) throw new ExecError('EINVAL', `interpreter entry 0x${entry.toString(16)} is beyond TASK_SIZE`);
  } else if (entry >= TASK_SIZE) {
    throw new ExecError('EINVAL', `entry point 0x${entry.toString(16)} is beyond TASK_SIZE`);
  }

  const vdsoBase = mapVdso(mm);
  const stackPointer = createElfTables(mm, random, argPages, strings, stackRlimit);
  for (let page = pageStart(stackPointer); page < argPages.stack.end; page += PAGE_SIZE) {
    touches.push({ address: page, why: 'execve wrote the arguments, environment and auxiliary vector here' });
  }

  Object.assign(mm.layout, {
    startCode: startCode + loadBias,
    endCode: endCode + loadBias,
    startData: startData + loadBias,
    endData: endData + loadBias,
  });
  if (layout?.brk !== undefined) mm.layout.startBrk = mm.layout.brk = layout.brk;
  else setBrk(mm, random, elfBrk, h.type === ET_DYN && !interpreter);
  mm.gateVma = vsyscallGate();
  return { mm, program, interpreter, loadBias, interpreterBase, programEntry, entry, phdrAddress, vdsoBase, stackPointer, touches };
}

/** load_elf_interp: the interpreter goes top-down below mmap_base unless it is ET_EXEC. */
function loadElfInterp(mm: MmStruct, interp: ExecImage, noBase: bigint, fileThpAlign: boolean, touches: ExecTouch[]): bigint {
  const ctx: MapContext = { mm, file: interp.file, fileThpAlign, touches, origin: origin('interpreter', interp.file.path) };
  const type = interp.elf.header.type;
  let totalSize = totalMappingSize(interp.loads);
  if (!totalSize) throw new ExecError('EINVAL', `interpreter ${interp.file.path} has no PT_LOAD segments`);
  let loadAddr = 0n;
  let loadAddrSet = false;
  for (const p of interp.loads) {
    let flags = 0;
    if (type === ET_EXEC || loadAddrSet) flags |= MAP_FIXED;
    else if (noBase && type === ET_DYN) loadAddr = -p.vaddr;
    const mapped = elfLoad(ctx, loadAddr + p.vaddr, p, makeProt(p.flags), flags, totalSize);
    totalSize = 0n;
    if (!loadAddrSet && type === ET_DYN) {
      loadAddr = mapped - pageStart(p.vaddr);
      loadAddrSet = true;
    }
    checkSegment(p, loadAddr);
  }
  return loadAddr;
}

/** The brk setup at the end of load_elf_binary, with arch_randomize_brk. */
function setBrk(mm: MmStruct, random: Randomization, elfBrk: bigint, loaderRunDirectly: boolean): void {
  let brkMoved = false;
  if (loaderRunDirectly) {
    elfBrk = ELF_ET_DYN_BASE;
    brkMoved = true;
  }
  let brk = pageAlign(elfBrk);
  if (random.pfRandomize && random.randomizeBrk) {
    if (!brkMoved) brk += PAGE_SIZE;
    brk = randomizePage(random, brk, BRK_RANDOM_RANGE);
  }
  mm.layout.startBrk = brk;
  mm.layout.brk = brk;
}

/** randomize_page (mm/util.c): a random page in [start, start + range). */
function randomizePage(random: Randomization, start: bigint, range: bigint): bigint {
  const pages = range >> PAGE_SHIFT;
  if (pages === 0n) return start;
  return start + ((random.nextLong() % pages) << PAGE_SHIFT);
}
