import type { MmStruct } from '../mm/mm-struct';
import { VM_DONTDUMP, VM_DONTEXPAND, VM_EXEC, VM_IO, VM_MAYEXEC, VM_MAYREAD, VM_MAYWRITE, VM_PFNMAP, VM_READ } from '../mm/vm-flags';
import { PAGE_SHIFT, type Vma } from '../mm/vma';
import { ExecError } from './exec-error';
import { VDSO_TEXT_SIZE, VSYSCALL_ADDR, VVAR_SIZE, VVAR_VCLOCK_SIZE } from './x86-64';

const VVAR_FLAGS = VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_PFNMAP | VM_DONTEXPAND;

/**
 * map_vdso (arch/x86/entry/vdso/vma.c, 6.15+): one top-down area holding
 * [vvar] (4 pages), [vvar_vclock] (2 pages) and the [vdso] text (2 pages).
 * Returns AT_SYSINFO_EHDR, the vdso text address.
 */
export function mapVdso(mm: MmStruct): bigint {
  const total = VVAR_SIZE + VVAR_VCLOCK_SIZE + VDSO_TEXT_SIZE;
  const addr = mm.getUnmappedArea(total, 0n, 0n, false);
  if (addr === undefined) throw new ExecError('ENOMEM', 'no room for the vdso');
  const origin = { kind: 'vdso' as const, description: 'the vDSO and its data pages, placed top-down after the interpreter (map_vdso)' };
  const text = addr + VVAR_SIZE + VVAR_VCLOCK_SIZE;
  const special = (start: bigint, size: bigint, flags: number, name: Vma['special']): Vma => ({ start, end: start + size, flags, pgoff: 0n, special: name, origin });
  mm.mapRegion(special(text, VDSO_TEXT_SIZE, VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_DONTEXPAND, '[vdso]'));
  mm.mapRegion(special(addr, VVAR_SIZE, VVAR_FLAGS, '[vvar]'));
  mm.mapRegion(special(addr + VVAR_SIZE, VVAR_VCLOCK_SIZE, VVAR_FLAGS, '[vvar_vclock]'));
  return text;
}

/** The gate VMA: [vsyscall], execute-only emulation (LEGACY_VSYSCALL_XONLY). */
export function vsyscallGate(): Vma {
  return {
    start: VSYSCALL_ADDR,
    end: VSYSCALL_ADDR + (1n << PAGE_SHIFT),
    flags: VM_EXEC,
    pgoff: 0n,
    special: '[vsyscall]',
    origin: { kind: 'vsyscall', description: 'the legacy vsyscall page, emulated on instruction fetch (get_gate_vma)' },
  };
}
