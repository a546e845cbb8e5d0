// The pseudo-paths /proc/PID/maps prints (fs/proc/task_mmu.c get_vma_name), recovered from what
// a core records: [vdso] from AT_SYSINFO_EHDR, [stack] from pointers into the initial stack,
// [vvar]/[vvar_vclock] below the vDSO (map_vdso), [heap] near the program (arch_randomize_brk),
// [vsyscall] at its fixed address.
import type { CoreProducer } from './core-types';
import { AT_BASE, AT_EXECFN, AT_PHDR, AT_RANDOM, AT_SYSINFO_EHDR } from './core-notes';
import { regionIndexOf, type RawRegion } from './core-regions';

const VSYSCALL_ADDR = 0xffffffffff600000n;
/** Linux 6.13+ (arch/x86/entry/vdso/vma.c): [vvar] 4 pages, [vvar_vclock] 2 pages, then the vDSO text. */
const VVAR_PAGES = 4n;
const VVAR_VCLOCK_PAGES = 2n;
const PAGE = 0x1000n;

export interface NamingInput {
  readonly regions: RawRegion[];
  readonly auxv: ReadonlyMap<number, bigint>;
  /** Stack pointers of the threads, the main thread's (pr_pid == the process's pid) first. */
  readonly stackPointers: readonly bigint[];
  readonly producer: CoreProducer;
  readonly is64: boolean;
  readonly notes: string[];
  /** LINUX_VERSION_CODE from the vDSO's "Linux" note, when the core holds the vDSO's bytes. */
  readonly kernelVersion?: number;
}

/** The special mappings map_vdso puts below the vDSO text, by kernel release (kernel-reference.md). */
function vvarLayout(version: number | undefined): { name: string; pages: bigint }[] {
  const release = (major: number, minor: number) => (major << 16) | (minor << 8);
  if (version === undefined || version >= release(6, 15)) return [{ name: '[vvar]', pages: VVAR_PAGES }, { name: '[vvar_vclock]', pages: VVAR_VCLOCK_PAGES }];
  if (version >= release(6, 13)) return [{ name: '[vvar]', pages: 2n }, { name: '[vvar_vclock]', pages: 2n }];
  return [{ name: '[vvar]', pages: 4n }];
}

/** Names the special regions in place; returns the executable's path when AT_PHDR finds it. Inserts [vvar] regions gcore leaves out. */
export function nameRegions(input: NamingInput): string | undefined {
  const { regions, auxv, notes } = input;
  const at = (address: bigint | undefined) => (address === undefined ? undefined : regionIndexOf(regions, address));
  const vdsoIndex = at(auxv.get(AT_SYSINFO_EHDR));
  if (vdsoIndex !== undefined) nameVdso(input, vdsoIndex);
  if (input.is64) {
    const gate = at(VSYSCALL_ADDR);
    const r = gate === undefined ? undefined : regions[gate];
    if (r && !r.path && r.start === VSYSCALL_ADDR) {
      r.name = '[vsyscall]';
      // gcore sets PF_R on every segment; the kernel's gate VMA is --x (vsyscall=xonly, the default).
      if (input.producer !== 'kernel') {
        r.rwx = '--x';
        r.permsSource = 'guess';
      }
    }
  }
  // AT_RANDOM and AT_EXECFN point into the strings create_elf_tables put on the initial stack.
  let stack = at(auxv.get(AT_RANDOM)) ?? at(auxv.get(AT_EXECFN));
  let fromPointer = false;
  for (const sp of input.stackPointers) {
    if (stack !== undefined) break;
    stack = at(sp);
    fromPointer = stack !== undefined;
  }
  const stackRegion = stack === undefined ? undefined : regions[stack];
  if (stackRegion && !stackRegion.path && !stackRegion.name) {
    stackRegion.name = '[stack]';
    stackRegion.nameKnown = false;
    if (fromPointer) notes.push('[stack] is the region the main thread\'s stack pointer is in (NT_AUXV has no pointer into the initial stack)');
  }
  const phdr = at(auxv.get(AT_PHDR));
  const executable = phdr === undefined ? undefined : regions[phdr]?.path;
  if (phdr !== undefined && executable !== undefined) nameHeap(input, phdr, executable);
  return executable;
}

function nameVdso(input: NamingInput, index: number): void {
  const { regions, notes } = input;
  const vdso = regions[index] as RawRegion;
  if (vdso.path) return;
  vdso.name = '[vdso]';
  if (input.producer !== 'kernel') {
    vdso.rwx = 'r-x';
    vdso.permsSource = 'core';
  }
  // The kernel dumps the special mappings below the vDSO as r-- PT_LOADs; gcore skips them (VM_IO).
  const below: RawRegion[] = [];
  for (let i = index - 1; i >= 0 && below.length < 2; i--) {
    const r = regions[i] as RawRegion;
    const next = (below[below.length - 1] ?? vdso) as RawRegion;
    if (r.end !== next.start || r.path || r.rwx !== 'r--' || input.producer !== 'kernel') break;
    below.push(r);
  }
  if (below.length === 2) {
    (below[0] as RawRegion).name = '[vvar_vclock]';
    (below[1] as RawRegion).name = '[vvar]';
  } else if (below.length === 1) (below[0] as RawRegion).name = '[vvar]';
  for (const r of below) r.nameKnown = false;
  if (below.length) notes.push(`${below.length === 2 ? '[vvar] and [vvar_vclock] are' : '[vvar] is'} named by position: the read-only region${below.length === 2 ? 's' : ''} right below [vdso] (map_vdso)`);
  if (input.producer !== 'gdb' || !input.is64) return;
  const layout = vvarLayout(input.kernelVersion);
  const total = layout.reduce((n, l) => n + l.pages * PAGE, 0n);
  const previous = regions[index - 1];
  if (previous && previous.end > vdso.start - total) return;
  let at = vdso.start - total;
  const inferred = layout.map(({ name, pages }) => {
    const region: RawRegion = { start: at, end: at + pages * PAGE, rwx: 'r--', offset: 0n, name, nameKnown: false, permsSource: 'guess', dumpedBytes: 0n };
    at = region.end;
    return region;
  });
  regions.splice(index, 0, ...inferred);
  const release = input.kernelVersion === undefined ? 'Linux 6.15 and later (the vDSO does not say which kernel this was)' : `Linux ${input.kernelVersion >> 16}.${(input.kernelVersion >> 8) & 0xff} (the vDSO's version note)`;
  notes.push(`gcore does not dump ${layout.map((l) => l.name).join(' and ')} (VM_IO): shown right below [vdso] as ${release} maps ${layout.length === 1 ? 'it' : 'them'}`);
}

/** The first writable anonymous region in [from, to), not counting one that starts at `skip`. */
function firstWritableAnon(regions: readonly RawRegion[], from: bigint, to: bigint, skip?: bigint): RawRegion | undefined {
  const lo = regions.findIndex((r) => r.end > from);
  for (let j = lo < 0 ? regions.length : lo; j < regions.length; j++) {
    const r = regions[j] as RawRegion;
    if (r.start >= to) break;
    if (r.start >= from && r.start !== skip && !r.path && !r.name && r.rwx[1] === 'w') return r;
  }
  return undefined;
}

/**
 * vma_is_initial_heap needs mm->brk, which no core records: the heap is inferred where
 * load_elf_binary and arch_randomize_brk put it: within 1 GiB (32 MiB for 32-bit tasks) above the
 * program, or, for a program without an interpreter (AT_BASE 0) such as static-pie, above
 * ELF_ET_DYN_BASE. A region right after the program is its bss, which brk grows only when ASLR is off.
 */
function nameHeap(input: NamingInput, phdrIndex: number, executable: string): void {
  const { regions, notes } = input;
  let i = phdrIndex;
  while (i + 1 < regions.length && (regions[i + 1] as RawRegion).path === executable) i++;
  const programEnd = (regions[i] as RawRegion).end;
  const range = input.is64 ? 1n << 30n : 32n << 20n;
  // ELF_ET_DYN_BASE page-aligned: DEFAULT_MAP_WINDOW / 3 * 2 on x86-64, 0x400000 for 32-bit tasks.
  const dynBase = input.is64 ? 0x555555555000n : 0x400000n;
  const staticPie = (input.auxv.get(AT_BASE) ?? 0n) === 0n;
  const heap =
    firstWritableAnon(regions, programEnd, programEnd + range, programEnd) ??
    (staticPie ? firstWritableAnon(regions, dynBase, dynBase + range) : undefined) ??
    firstWritableAnon(regions, programEnd, programEnd + 1n);
  if (!heap) return;
  heap.name = '[heap]';
  heap.nameKnown = false;
  notes.push(`[heap] is inferred (a core does not record brk): the first writable anonymous region within ${input.is64 ? '1 GiB' : '32 MiB'} above ${heap.start < programEnd ? 'ELF_ET_DYN_BASE (a program without an interpreter)' : executable}`);
}
