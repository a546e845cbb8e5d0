// The 6-bit teaching machine of the notes: 64 cells of physical memory, 8 pages of 8 cells,
// one page table per process at %cr3, and the lookup PT(VA, access) → PA or a fault.
// A PTE is 6 bits: the high 3 bits of the physical address, then U, W and P.

/** Cells of physical memory (addresses 0–63); every cell holds 0–63. */
export const CELLS = 64;
/** Cells per page (and per page table: one PTE per page). */
export const PAGE_CELLS = 8;
/** Pages of virtual memory, and frames of physical memory. */
export const PAGES = 8;
/** The largest address or value: 6 bits. */
export const MAX_VALUE = 63;

export const PTE_P = 0b001;
export const PTE_W = 0b010;
export const PTE_U = 0b100;

/** The check that failed, in the order the walk makes them. */
export type FaultBit = 'P' | 'U' | 'W';
export type Privilege = 'user' | 'kernel';
export type AccessKind = 'read' | 'write';

/** What one access asks: a read or a write, by user code (CPL 3) or the kernel (CPL 0). */
export interface Access {
  readonly kind: AccessKind;
  readonly privilege: Privilege;
}

/** A PTE's fields. */
export interface PteBits {
  /** The high 3 bits of the physical address: the frame. */
  readonly frame: number;
  readonly u: boolean;
  readonly w: boolean;
  readonly p: boolean;
}

/** Every step of a walk, so that views can show each bit. */
export interface Walk {
  readonly va: number;
  /** VA >> 3. */
  readonly page: number;
  /** VA & 7. */
  readonly offset: number;
  readonly cr3: number;
  /** cr3 + page: the cell the PTE is read from. */
  readonly pteAddress: number;
  readonly pte: number;
  readonly bits: PteBits;
  /** The first check that failed, or undefined when the access is allowed. */
  readonly fault?: FaultBit;
  /** (PTE >> 3) << 3 | (VA & 7): where the access goes (also computed for a fault, to show it). */
  readonly pa: number;
}

export function pteBits(pte: number): PteBits {
  return { frame: pte >> 3, u: (pte & PTE_U) !== 0, w: (pte & PTE_W) !== 0, p: (pte & PTE_P) !== 0 };
}

/** The first failing check: P, then U for a user access, then W for a write (the kernel checks P and W only). */
export function faultOf(pte: number, access: Access): FaultBit | undefined {
  if ((pte & PTE_P) === 0) return 'P';
  if (access.privilege === 'user' && (pte & PTE_U) === 0) return 'U';
  if (access.kind === 'write' && (pte & PTE_W) === 0) return 'W';
  return undefined;
}

/** PT(VA, access): reads PTE = mem[cr3 + (VA >> 3)] and checks it. */
export function walk(memory: Uint8Array, cr3: number, va: number, access: Access): Walk {
  const page = va >> 3;
  const offset = va & 7;
  const pteAddress = cr3 + page;
  const pte = memory[pteAddress] ?? 0;
  const pa = ((pte >> 3) << 3) | offset;
  const fault = faultOf(pte, access);
  const base = { va, page, offset, cr3, pteAddress, pte, bits: pteBits(pte), pa };
  return fault === undefined ? base : { ...base, fault };
}

/** A process of the machine: its name and the base of its page table. */
export interface Toy6Process {
  readonly name: string;
  readonly cr3: number;
  /** The line that created it. */
  readonly line: number;
}

/** The whole machine at one moment: memory and processes. Cheap to copy (64 bytes). */
export class Toy6Machine {
  readonly memory: Uint8Array;
  readonly processes: Map<string, Toy6Process>;

  constructor(memory?: Uint8Array, processes?: Map<string, Toy6Process>) {
    this.memory = memory ?? new Uint8Array(CELLS);
    this.processes = processes ?? new Map();
  }

  clone(): Toy6Machine {
    return new Toy6Machine(this.memory.slice(), new Map(this.processes));
  }

  /** The frames that hold some process's page table, with whose. */
  pageTableFrames(): Map<number, string[]> {
    const frames = new Map<number, string[]>();
    for (const p of this.processes.values()) {
      const frame = p.cr3 >> 3;
      const names = frames.get(frame);
      if (names) names.push(p.name);
      else frames.set(frame, [p.name]);
    }
    return frames;
  }
}

/** `0b011 101`: six bits, the frame bits apart from U W P. */
export function bits6(value: number): string {
  const b = value.toString(2).padStart(6, '0');
  return `0b${b.slice(0, 3)} ${b.slice(3)}`;
}

/** `0b001 101`: an address as page and offset. */
export const addressBits = bits6;
