import type { Task } from '../mm/kernel';
import { usableStack, type ThreadStack } from '../mm/thread';
import { VM_GROWSDOWN } from '../mm/vm-flags';
import { pageAlign } from '../mm/vma';
import type { ByteRange, Target } from './ast';
import type { ScenarioState } from './state';

/** A statement's target, resolved to an address range of one process. */
export interface Range {
  readonly start: bigint;
  readonly end: bigint;
  readonly label: string;
}

/** Where a target lies in a process: a region's mmap range, the heap, the stack VMA, or one address. */
export function resolveTarget(state: ScenarioState, task: Task, target: Target, thread?: ThreadStack): Range | string {
  switch (target.kind) {
    case 'region': {
      const region = state.regions.get(target.name);
      if (!region) return `no region named ${target.name}`;
      // A failed mmap leaves its name undefined (the call returned MAP_FAILED).
      if (region.failed) return `${target.name} is undefined: its mmap at line ${region.line} failed with ${region.failed.errno}; statement skipped`;
      return { start: region.start, end: region.end, label: target.name };
    }
    case 'heap': {
      const l = task.mm.layout;
      return { start: l.startBrk, end: pageAlign(l.brk), label: 'heap' };
    }
    case 'stack': {
      // A thread's `stack` is its own, above the guard page (thread.ts).
      if (thread) return { ...usableStack(thread), label: 'stack' };
      const l = task.mm.layout;
      const stack = task.mm.vmaList.find((v) => v.flags & VM_GROWSDOWN && v.start <= l.startStack && v.end >= l.startStack);
      return stack ? { start: stack.start, end: stack.end, label: 'stack' } : 'the process has no stack';
    }
    case 'address':
      return { start: target.value, end: target.value + 1n, label: `0x${target.value.toString(16)}` };
  }
}

/** The byte range an OFF [SIZE] narrows a target to (the whole target without one). */
export function narrow(range: Range, offset?: bigint, size?: bigint): Range {
  if (offset === undefined) return range;
  const start = range.start + offset;
  return { start, end: start + (size ?? 1n), label: range.label };
}

export function narrowByRange(range: Range, r?: ByteRange): Range {
  return r ? narrow(range, r.offset, r.size) : range;
}
