// `P = exec PATH` and `dlopen P PATH`: the process or objects the loader made, put into the kernel
// with their page-cache inodes, and the pages the kernel and ld.so wrote on the way.
import type { ExecResult } from '../loader/binfmt-elf';
import type { ExecTouch } from '../loader/elf-map';
import { mapDlopenPlan, type DlopenPlan, type RtldResult } from '../loader/rtld';
import { execCommitRefusal } from '../mm/exec-commit';
import { userAccess } from '../mm/fault';
import { exitTask } from '../mm/fork';
import { rssPages, type Inode, type Kernel, type Task } from '../mm/kernel';
import { doBrk, doMprotect } from '../mm/syscalls';
import { PROT_EXEC, PROT_READ, PROT_WRITE, VM_EXEC, VM_READ, VM_WRITE } from '../mm/vm-flags';
import type { Statement } from './ast';
import { addEvent } from './events';
import { bprmRefusal, diedInExec } from './exec-refused';
import type { PreparedFile } from './prepare';
import type { ScenarioState } from './state';
import { addNote, faultsOf, type StepRecord } from './step-record';

/** The page-cache inode of a file, made the first time the file is mapped. */
export function fileInode(k: Kernel, file: PreparedFile): Inode {
  for (const inode of k.inodes.values()) {
    if (!inode.shmem && inode.identity.inode === file.identity.inode && inode.identity.major === file.identity.major && inode.identity.minor === file.identity.minor && inode.path === file.path) return inode;
  }
  const inode: Inode = { id: k.nextId++, path: file.path, identity: file.identity, size: file.size, shmem: false, cache: new Map(), swapped: new Map(), ra: { start: 0, size: 0, asyncSize: 0, mmapMiss: 0 } };
  k.inodes.set(inode.id, inode);
  return inode;
}

/**
 * `P = exec PATH`: a new process with the layout it has at its entry point —
 * what execve left, then (for a dynamic program) what ld.so mapped — and the
 * pages the kernel and ld.so wrote on the way.
 */
export function execTask(state: ScenarioState, s: Extract<Statement, { kind: 'exec' }>, result: ExecResult, step: StepRecord, rtld?: RtldResult): void {
  const k = state.kernel;
  const { line } = s;
  const name = s.process.name;
  const old = k.tasks.get(name);
  const running = old && !old.exited && !old.death ? old : undefined;
  const mm = result.mm.clone();
  const nameOf = (path: string) => rtld?.chain.find((l) => l.file.path === path)?.name || path;
  const refusal = execCommitRefusal(k, mm, result.program.file.path, running ? Number(running.mm.accountedPages) : 0, nameOf);
  if (refusal?.stage === 'bprm') throw bprmRefusal(refusal);
  if (running) exitTask(k, running);
  if (refusal) return diedInExec(k, s, mm, result.program.file.path, refusal, step);
  const images = [result.program, result.interpreter].filter((i) => i !== undefined).map((i) => ({ file: i.file, size: i.elf.file.size }));
  for (const l of rtld?.chain ?? []) images.push({ file: l.file, size: l.elf.file.size });
  for (const vma of [...mm.vmaList]) {
    const image = images.find((i) => vma.file && i.file.path === vma.file.path);
    if (image) mm.updateVma(vma, { inodeId: fileInode(k, { path: image.file.path, identity: image.file.identity, size: image.size }).id, line });
    else mm.updateVma(vma, { line });
  }
  const task = k.newTask(name, mm, result.program.file.path, line);
  if (rtld?.mallocInterposer) task.mallocInterposer = rtld.mallocInterposer;
  k.tasks.set(name, task);
  state.execCount++;
  for (const touch of [...result.touches, ...(rtld?.touches ?? [])]) loaderWrite(k, task, touch, line, step);
  task.hiwaterVm = Number(task.mm.totalVm >> 12n);
  task.hiwaterRss = rssPages(task);
}

/**
 * A store the kernel or ld.so made before the entry point. ld.so wrote the
 * RELRO pages while they were still writable and only then made them
 * read-only: a page that is read-only now is written through a temporary
 * mprotect, which leaves the VMAs as they were.
 */
function loaderWrite(k: Kernel, task: Task, touch: ExecTouch, line: number, step: StepRecord): void {
  const vma = task.mm.vmaAt(touch.address);
  if (!vma) return;
  const page = touch.address & ~0xfffn;
  const readOnly = !(vma.flags & VM_WRITE);
  const prot = (vma.flags & VM_READ ? PROT_READ : 0) | (vma.flags & VM_EXEC ? PROT_EXEC : 0);
  if (readOnly) doMprotect(k, task, page, page + 0x1000n, prot | PROT_WRITE, line);
  const fault = userAccess(k, task, touch.address, 'write');
  if (readOnly) doMprotect(k, task, page, page + 0x1000n, prot, line);
  faultsOf(step).push({ ...fault, process: task.name, explanation: `${touch.why}: ${fault.explanation}` });
}

/**
 * `dlopen P PATH`: libc's malloc makes the heap if there is none yet, then
 * each new object is mapped (top-down, with ld.so.cache mapped while the
 * search needs it), relocated (its data pages written) and its RELRO made
 * read-only. A failing dlopen changes nothing (dlerror).
 */
export function dlopenTask(state: ScenarioState, task: Task, plan: DlopenPlan | { readonly error: string } | undefined, s: Statement, step: StepRecord): void {
  const k = state.kernel;
  const line = s.line;
  if (!plan) return;
  if ('error' in plan) {
    // dlerror's words: no errno reaches the caller.
    addEvent(step, { kind: 'dlopen-failed', column: s.column, message: `dlopen failed: ${plan.error}`, call: 'dlopen' });
    return;
  }
  if (plan.objects.length === 0) {
    addNote(step, `dlopen: ${plan.target.name || plan.target.libnames[0]} is already loaded`);
    return;
  }
  // The link maps and search paths come from libc's malloc: the first one creates the heap.
  // (Not when the program brings its own malloc: ld.so's allocations then go to it.)
  if (!task.mallocInterposer && task.mm.layout.brk === task.mm.layout.startBrk) doBrk(k, task, 0x21000n, line);
  const mapping = mapDlopenPlan({ mm: task.mm, fileThpAlign: true, touches: [] }, plan);
  for (const vma of [...task.mm.vmaList]) {
    if (!vma.file || vma.inodeId !== undefined) continue;
    const object = mapping.objects.find((l) => l.file.path === vma.file?.path);
    if (object) task.mm.updateVma(vma, { inodeId: fileInode(k, { path: object.file.path, identity: object.file.identity, size: object.elf.file.size }).id, line });
  }
  for (const vma of task.mm.vmaList) if (vma.line === undefined) task.mm.updateVma(vma, { line });
  for (const touch of mapping.touches) loaderWrite(k, task, touch, line, step);
  for (const [start, end] of mapping.relro) doMprotect(k, task, start, end, PROT_READ, line);
  task.hiwaterVm = Math.max(task.hiwaterVm, Number(task.mm.totalVm >> 12n));
  for (const l of mapping.objects) addNote(step, `dlopen: ${l.libnames[0]} at 0x${l.mapStart.toString(16)} (${l.name})`);
}

