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

/** A VMA's /proc/PID/maps line, and the same line split into columns. */
export interface MapsColumns {
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
}

/** One VMA of the exec layout. */
export interface RegionView extends MapsColumns {
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

/** How ld.so found an object, as the Linked tab names it. */
export type LinkedObjectKind = 'executable' | 'interpreter' | 'library';
export const LINKED_OBJECT_KINDS: readonly LinkedObjectKind[] = ['executable', 'interpreter', 'library'];

/** One object of the link-map chain at the program's entry point. */
export interface LinkedObjectView {
  /** What it is called: the program's file name, or the DT_NEEDED name that first loaded it. */
  readonly name: string;
  readonly kind: LinkedObjectKind;
  /** l_name: the path ld.so opened ("" for the executable). */
  readonly path: string;
  /** The path /proc/PID/maps prints for it (symlinks resolved). */
  readonly mapsPath: string;
  /** How it was found: "found via RUNPATH /opt/x/lib", "found via /etc/ld.so.cache", … */
  readonly foundVia: string;
  /** l_addr, [l_map_start, l_map_end) */
  readonly lAddr: Hex;
  readonly mapStart: Hex;
  readonly mapEnd: Hex;
}

/** A node of the dependency tree: an object as a DT_NEEDED entry asked for it. */
export interface LinkedNode {
  /** Index into LinkedView.objects. */
  readonly object: number;
  /** The DT_NEEDED string ("" for the program itself). */
  readonly needed: string;
  /** Already loaded when this entry was resolved (reached earlier in ld.so's breadth-first walk): not expanded again. */
  readonly duplicate: boolean;
  readonly children: LinkedNode[];
}

/** One VMA of the layout at entry, with the object (or the kernel, or ld.so's allocator) it belongs to. */
export interface LinkedRegionView extends MapsColumns {
  /** The objects whose [l_map_start, l_map_end) it overlaps (indices into objects), first the one it starts in. */
  readonly objects: number[];
  /** What it is: "text", "RELRO", "bss", "ld.so allocations", "[stack]", … */
  readonly role: string;
  readonly description: string;
}

/** The dependency tree and /proc/PID/maps at the program's entry point (AT_ENTRY), after ld.so ran. */
export interface LinkedView {
  readonly kind: 'linked';
  readonly aslr: AslrMode;
  readonly seed: string;
  /** The link-map chain (r_debug order): the program first. */
  readonly objects: LinkedObjectView[];
  /** The program and its DT_NEEDED entries, children in DT_NEEDED order. */
  readonly tree: LinkedNode;
  /** ld.so's global search list (breadth-first), as indices into objects. */
  readonly searchList: number[];
  readonly regions: LinkedRegionView[];
  /** LD_LIBRARY_PATH as the setting gave it ("" when unset). */
  readonly ldLibraryPath: string;
}

/** Why there is no layout at entry: a static program, a file that cannot run, or ld.so's own error. */
export interface LinkedProblemView {
  readonly kind: 'static' | 'not-executable' | 'error';
  /** One line, as ld.so or execve would report it. */
  readonly message: string;
  /** For a library that was not found: the directories searched, in order. */
  readonly searched: string[];
}

export type LinkedResult = LinkedView | LinkedProblemView;
