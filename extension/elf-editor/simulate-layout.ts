import * as vscode from 'vscode';
import { execve } from '../../simulator/loader/binfmt-elf';
import { ExecError } from '../../simulator/loader/exec-error';
import type { LayoutParams } from '../../webview/protocol';
import type { LayoutResult } from '../../webview/view-models';
import { ExecFileSystem } from '../files/exec-file-system';
import type { FileOpener } from '../files/file-opener';
import type { ElfDocument } from './elf-document';
import { regionViews } from './region-views';

const hex = (v: bigint) => '0x' + v.toString(16);

/** The exec layout of a document: execve in the simulator, with PT_INTERP looked up in `sysroot`. */
export async function simulateLayout(doc: ElfDocument, params: LayoutParams, sysroot: vscode.Uri, opener: FileOpener): Promise<LayoutResult> {
  if (!doc.elf) return { kind: 'not-executable', reason: doc.error ?? 'not an ELF file' };
  const files = new ExecFileSystem(doc.file, sysroot, opener);
  const argv0 = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path;
  try {
    const result = await execve(files, argv0, { argv: [argv0], envp: [], aslr: params.aslr, seed: BigInt(params.seed) });
    const missing = files.missingInterpreter;
    const requested = result.interpreter ? await doc.elf.interpreter() : undefined;
    const where = requested === undefined ? undefined : vscode.Uri.joinPath(sysroot, requested);
    const lookedUp = !where ? '' : where.scheme === 'file' ? where.fsPath : where.toString(true);
    // Without the real interpreter, its mappings and the vDSO placed below them are unknown.
    const regions = regionViews(result, (vma) => !missing || !['interpreter-segment', 'interpreter-bss', 'vdso'].includes(vma.origin.kind));
    return {
      kind: 'layout',
      aslr: params.aslr,
      seed: params.seed,
      regions,
      loadBias: hex(result.loadBias),
      entry: hex(result.programEntry),
      interpreter: requested === undefined ? null : { requested, lookedUp, found: !missing },
      incomplete: missing
        ? `The interpreter ${missing.path} was not found in the sysroot (${missing.reason}). Showing the program only: the interpreter's mappings and the vDSO are missing. Set addressSpaceExplorer.sysroot to a folder that holds it.`
        : null,
    };
  } catch (error) {
    if (error instanceof ExecError || (error instanceof Error && error.name === 'ElfError')) return { kind: 'not-executable', reason: error.message };
    throw error;
  } finally {
    files.dispose();
  }
}
