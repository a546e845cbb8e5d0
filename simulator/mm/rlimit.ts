// The resource limits of a process that bound its address space (include/uapi/asm-generic/resource.h),
// and the checks mm/mmap.c makes with them: may_expand_vm, check_data_rlimit, acct_stack_growth.
import type { Task } from './kernel';
import { VM_GROWSDOWN, VM_SHARED, VM_WRITE } from './vm-flags';

export type RlimitResource = 'as' | 'data' | 'stack' | 'memlock';
export const RLIMIT_RESOURCES: readonly RlimitResource[] = ['as', 'data', 'stack', 'memlock'];

/** RLIMIT_* names as prlimit(1) and the kernel's messages say them. */
export const RLIMIT_NAMES: Readonly<Record<RlimitResource, string>> = { as: 'RLIMIT_AS', data: 'RLIMIT_DATA', stack: 'RLIMIT_STACK', memlock: 'RLIMIT_MEMLOCK' };

/** Soft limits in bytes (soft = hard, as `prlimit --as=N` sets both); undefined is RLIM_INFINITY. */
export type Rlimits = Readonly<Record<RlimitResource, bigint | undefined>>;

/** What a shell on the reference machine hands its children: AS and DATA unlimited, 8 MiB stack, 8 MiB memlock. */
export const DEFAULT_RLIMITS: Rlimits = { as: undefined, data: undefined, stack: 8n << 20n, memlock: 8n << 20n };

/** rlimit(RLIMIT_*): the task's soft limit in bytes, undefined when unlimited. */
export function rlimit(task: Task, resource: RlimitResource): bigint | undefined {
  return (task.rlimits ?? DEFAULT_RLIMITS)[resource];
}

/** rlimit(RLIMIT_MEMLOCK) for mlock, mlockall and MAP_LOCKED (mlock_future_ok, can_do_mlock): bytes, undefined when unlimited. */
export function memlockRlimit(task: Task): bigint | undefined {
  return rlimit(task, 'memlock');
}

/** prlimit(pid, resource, {n, n}): a new object, so states copied earlier keep theirs. */
export function setRlimit(task: Task, resource: RlimitResource, bytes: bigint | undefined): void {
  task.rlimits = { ...(task.rlimits ?? DEFAULT_RLIMITS), [resource]: bytes };
}

/** is_data_mapping: private, writable and not a stack (what VmData counts). */
export function isDataMapping(flags: number): boolean {
  return (flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) === VM_WRITE;
}

const pagesOf = (bytes: bigint) => bytes >> 12n;

/**
 * may_expand_vm: may the mm grow by `pages` pages of a VMA with `flags`? Undefined if so, else why not
 * (RLIMIT_AS against total_vm; RLIMIT_DATA against data_vm, with the kernel's pr_warn_once words).
 */
export function mayExpandVm(task: Task, flags: number, pages: bigint): string | undefined {
  const as = rlimit(task, 'as');
  const total = pagesOf(task.mm.totalVm);
  if (as !== undefined && total + pages > pagesOf(as)) {
    return `RLIMIT_AS: the address space would be ${sizeText((total + pages) << 12n)}, the limit is ${sizeText(as)}`;
  }
  const data = rlimit(task, 'data');
  const dataVm = pagesOf(task.mm.dataVm);
  if (data !== undefined && isDataMapping(flags) && dataVm + pages > pagesOf(data)) {
    return `RLIMIT_DATA: VmData ${(dataVm + pages) << 12n} exceed data ulimit ${data}`;
  }
  return undefined;
}

/** check_data_rlimit for brk: the heap plus the data segment may not pass RLIMIT_DATA. */
export function dataRlimitRefusal(task: Task, newBrk: bigint): string | undefined {
  const data = rlimit(task, 'data');
  if (data === undefined) return undefined;
  const l = task.mm.layout;
  const size = newBrk - l.startBrk + (l.endData - l.startData);
  return size > data ? `RLIMIT_DATA: a heap of ${sizeText(newBrk - l.startBrk)} and a data segment of ${sizeText(l.endData - l.startData)} pass the limit of ${sizeText(data)}` : undefined;
}

/** "64 MiB", "1 GiB", "8196 KiB", "23.5 GiB", "100 bytes": exact in the largest unit that says it in under 10240, else to a tenth. */
export function sizeText(bytes: bigint): string {
  const units: [bigint, string][] = [[1n << 50n, 'PiB'], [1n << 40n, 'TiB'], [1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB'], [1n, 'bytes']];
  if (bytes === 0n) return '0 bytes';
  for (const [unit, name] of units) if (bytes % unit === 0n && bytes / unit < 10240n) return `${bytes / unit} ${name}`;
  const [unit, name] = units.find(([u]) => bytes >= u) ?? [1n, 'bytes'];
  return `${(Number(bytes) / Number(unit)).toFixed(1)} ${name}`;
}
