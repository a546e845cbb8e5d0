import type * as vscode from 'vscode';
import { ElfFile } from '../../simulator/elf/elf-file';
import { isCoreFile, type CoreDump } from '../../simulator/live/core';
import type { LayoutParams } from '../../webview/protocol';
import type { ElfSummary, LayoutResult } from '../../webview/view-models';
import type { FileOpener, HostFile } from '../files/file-opener';
import { coreLayout, readCoreDocument } from './core-layout';
import { summarizeElf } from './elf-summary';
import { simulateLayout } from './simulate-layout';
import { SymbolIndex } from './symbol-index';

const CACHED_LAYOUTS = 8;

/** One ELF file opened in the editor: read lazily, shared by every view of it. */
export class ElfDocument implements vscode.CustomDocument {
  private summaryCache?: Promise<ElfSummary>;
  private symbolIndex?: SymbolIndex;
  private readonly layouts = new Map<string, Promise<LayoutResult>>();
  private coreCache?: Promise<CoreDump>;

  private constructor(
    readonly uri: vscode.Uri,
    readonly file: HostFile,
    readonly elf: ElfFile | undefined,
    /** Why the file could not be read as ELF, when it could not. */
    readonly error: string | undefined,
  ) {}

  static async open(uri: vscode.Uri, opener: FileOpener): Promise<ElfDocument> {
    const file = await opener.openProgram(uri);
    try {
      return new ElfDocument(uri, file, await ElfFile.open(file.access), undefined);
    } catch (error) {
      return new ElfDocument(uri, file, undefined, error instanceof Error ? error.message : String(error));
    }
  }

  /** The ELF file, or the reason it cannot be read. */
  requireElf(): ElfFile {
    if (!this.elf) throw new Error(`${this.file.path}: ${this.error ?? 'not an ELF file'}`);
    return this.elf;
  }

  /** Whether the file is a core file (ET_CORE): an address space, not a program. */
  get isCore(): boolean {
    return !!this.elf && isCoreFile(this.elf.header);
  }

  /** The core read as an address space (mapped files looked up in `sysroot`), once. */
  core(sysroot: vscode.Uri, opener: FileOpener): Promise<CoreDump> {
    this.coreCache ??= readCoreDocument(this.file, sysroot, opener);
    return this.coreCache;
  }

  summary(): Promise<ElfSummary> {
    this.summaryCache ??= summarizeElf(this.requireElf());
    return this.summaryCache;
  }

  /** The exec layout for these ASLR settings and sysroot, computed once. */
  layout(params: LayoutParams, sysroot: vscode.Uri, opener: FileOpener): Promise<LayoutResult> {
    // A core is not run: its layout is the address space at the dump, whatever the ASLR settings.
    if (this.isCore) return this.core(sysroot, opener).then(coreLayout, (error: unknown) => ({ kind: 'not-executable', reason: error instanceof Error ? error.message : String(error) }));
    const key = `${params.aslr} ${params.seed} ${sysroot.toString()}`;
    let layout = this.layouts.get(key);
    if (!layout) {
      layout = simulateLayout(this, params, sysroot, opener);
      layout.catch(() => this.layouts.delete(key));
      this.layouts.set(key, layout);
      while (this.layouts.size > CACHED_LAYOUTS) this.layouts.delete(this.layouts.keys().next().value as string);
    }
    return layout;
  }

  symbols(): SymbolIndex {
    this.symbolIndex ??= new SymbolIndex(this.requireElf());
    return this.symbolIndex;
  }

  dispose(): void {
    this.file.dispose();
  }
}
