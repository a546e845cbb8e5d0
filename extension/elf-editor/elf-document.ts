import type * as vscode from 'vscode';
import { ElfFile } from '../../simulator/elf/elf-file';
import type { LayoutParams } from '../../webview/protocol';
import type { ElfSummary, LayoutResult } from '../../webview/view-models';
import type { FileOpener, HostFile } from '../files/file-opener';
import { summarizeElf } from './elf-summary';
import { simulateLayout } from './simulate-layout';
import { SymbolIndex } from './symbol-index';

const CACHED_LAYOUTS = 8;

/** One ELF file opened in the editor: read lazily, shared by every view of it. */
export class ElfDocument implements vscode.CustomDocument {
  private summaryCache?: Promise<ElfSummary>;
  private symbolIndex?: SymbolIndex;
  private readonly layouts = new Map<string, Promise<LayoutResult>>();

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

  summary(): Promise<ElfSummary> {
    this.summaryCache ??= summarizeElf(this.requireElf());
    return this.summaryCache;
  }

  /** The exec layout for these ASLR settings and sysroot, computed once. */
  layout(params: LayoutParams, sysroot: vscode.Uri, opener: FileOpener): Promise<LayoutResult> {
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
