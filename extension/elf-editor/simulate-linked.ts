import * as vscode from 'vscode';
import { execve } from '../../simulator/loader/binfmt-elf';
import { ExecError } from '../../simulator/loader/exec-error';
import { dlMain, RtldError } from '../../simulator/loader/rtld';
import { machineFromCpuinfo } from '../../simulator/scenario/host-cpu';
import type { LayoutParams } from '../../webview/protocol';
import type { LinkedResult } from '../../webview/view-models';
import { ExecFileSystem } from '../files/exec-file-system';
import type { FileOpener } from '../files/file-opener';
import { ldLibraryPathSetting } from '../settings';
import type { ElfDocument } from './elf-document';
import { linkedView } from './linked-model';

const CACHED_RESULTS = 4;

const isElfError = (error: unknown): error is Error => error instanceof Error && error.name === 'ElfError';

/**
 * The layout at the program's entry point: execve as the Maps tab does (same ASLR mode and seed),
 * then ld.so (dl_main) with the libraries looked up in `sysroot`. Problems come back as results
 * the tab shows, never as errors: a static program, a file that cannot run, ld.so's own error.
 */
export async function simulateLinked(doc: ElfDocument, params: LayoutParams, sysroot: vscode.Uri, opener: FileOpener, ldLibraryPath: string): Promise<LinkedResult> {
  if (!doc.elf) return { kind: 'not-executable', message: doc.error ?? 'not an ELF file', searched: [] };
  const files = new ExecFileSystem(doc.file, sysroot, opener);
  const argv0 = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path;
  try {
    const exec = await execve(files, argv0, { argv: [argv0], envp: [], aslr: params.aslr, seed: BigInt(params.seed) });
    if (!exec.interpreter) return { kind: 'static', message: 'statically linked: no dynamic loader runs (no PT_INTERP), so the layout at entry is the exec layout of the Maps tab', searched: [] };
    const missing = files.missingInterpreter;
    if (missing) {
      const where = vscode.Uri.joinPath(sysroot, missing.path);
      return {
        kind: 'error',
        message: `${argv0}: the program interpreter ${missing.path} was not found in the sysroot (${where.scheme === 'file' ? where.fsPath : where.toString(true)}): ${missing.reason}. Set addressSpaceExplorer.sysroot to a folder that holds it.`,
        searched: [],
      };
    }
    const { isaLevel, legacyHwcaps } = machineFromCpuinfo(await opener.cpuinfo());
    const rtld = await dlMain(files.forLoader(), exec, { ldLibraryPath: ldLibraryPath || undefined, cwd: '/', isaLevel, legacyHwcaps });
    return linkedView(rtld, params, ldLibraryPath);
  } catch (error) {
    // As ld.so prints it (_dl_fatal_printf), and as `asx maps --at entry` reports it.
    if (error instanceof RtldError) return { kind: 'error', message: `${argv0}: error while loading shared libraries: ${error.object}: ${error.reason}`, searched: [...error.searched] };
    if (error instanceof ExecError) return { kind: 'not-executable', message: error.message, searched: [] };
    if (isElfError(error)) return { kind: 'error', message: `${argv0}: ${error.message}`, searched: [] };
    throw error;
  } finally {
    files.dispose();
  }
}

const cache = new WeakMap<ElfDocument, Map<string, Promise<LinkedResult>>>();

/** simulateLinked, computed once per document, ASLR settings, sysroot and LD_LIBRARY_PATH. */
export function linkedLayout(doc: ElfDocument, params: LayoutParams, sysroot: vscode.Uri, opener: FileOpener, ldLibraryPath = ldLibraryPathSetting()): Promise<LinkedResult> {
  let results = cache.get(doc);
  if (!results) cache.set(doc, (results = new Map()));
  const key = JSON.stringify([params.aslr, params.seed, sysroot.toString(), ldLibraryPath]);
  let result = results.get(key);
  if (!result) {
    result = simulateLinked(doc, params, sysroot, opener, ldLibraryPath);
    const entries = results;
    result.catch(() => entries.delete(key));
    entries.set(key, result);
    while (entries.size > CACHED_RESULTS) entries.delete(entries.keys().next().value as string);
  }
  return result;
}
