// What the host computes and the webview renders: plain JSON, 64-bit values as "0x…" hex strings.
import type { ElfDescription } from '../simulator/elf/describe';

export type Hex = string;
export type AslrMode = 'off' | 'on' | 'full';
export const ASLR_MODES: readonly AslrMode[] = ['off', 'on', 'full'];

export interface SymbolTableSummary {
  readonly name: string;
  readonly count: number;
}

/** The ELF file without its symbols, which are paged in on request. */
export interface ElfSummary extends Omit<ElfDescription, 'symbolTables'> {
  readonly fileSize: number;
  /** For each program header, the indices of the sections inside it. */
  readonly segmentSectionIndices: number[][];
  readonly symbolTables: SymbolTableSummary[];
}

/** Who put a region there. */
export type RegionOwner = 'program' | 'interpreter' | 'stack' | 'kernel' | 'anonymous';
export const REGION_OWNERS: readonly RegionOwner[] = ['program', 'interpreter', 'stack', 'kernel', 'anonymous'];

/** One VMA of the exec layout, with its /proc/PID/maps line split into columns. */
export interface RegionView {
  readonly start: Hex;
  readonly end: Hex;
  /** The exact /proc/PID/maps line. */
  readonly line: string;
  /** "555555554000-555555555000" as maps prints it. */
  readonly range: string;
  readonly perms: string;
  readonly offset: string;
  readonly device: string;
  readonly inode: string;
  readonly name: string;
  readonly owner: RegionOwner;
  readonly description: string;
  /** For the program's own regions: the link-time (p_vaddr) addresses they hold. */
  readonly linkStart: Hex | null;
  readonly linkEnd: Hex | null;
}

export interface InterpreterView {
  /** PT_INTERP as written in the file. */
  readonly requested: string;
  /** Where it was looked for, as the user would type it. */
  readonly lookedUp: string;
  readonly found: boolean;
}

export interface LayoutView {
  readonly kind: 'layout';
  readonly aslr: AslrMode;
  readonly seed: string;
  readonly regions: RegionView[];
  readonly loadBias: Hex;
  readonly entry: Hex;
  readonly interpreter: InterpreterView | null;
  /** Why the layout is partial (the interpreter was not found), or null. */
  readonly incomplete: string | null;
}

/** The file cannot be executed (a relocatable object, another architecture, …): the reason, as execve gives it. */
export interface NotExecutableView {
  readonly kind: 'not-executable';
  readonly reason: string;
}

export type LayoutResult = LayoutView | NotExecutableView;

export interface SymbolRow {
  readonly index: number;
  readonly value: Hex;
  readonly size: Hex;
  readonly type: string;
  readonly bind: string;
  readonly visibility: string;
  /** "UND", "ABS", "COM" or a section index. */
  readonly ndx: string | number;
  readonly name: string;
}

export interface SymbolPage {
  readonly table: number;
  /** Symbols matching the query. */
  readonly total: number;
  readonly offset: number;
  readonly rows: SymbolRow[];
}

export type ExportFormat = 'json' | 'csv' | 'markdown';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'csv', 'markdown'];
