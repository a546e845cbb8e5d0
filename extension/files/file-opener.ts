import type * as vscode from 'vscode';
import type { OpenedFile } from '../../simulator/loader/file-system';
import type { OpenPurpose } from '../../simulator/loader/open-refusal';

/** A file open for reading, with the path /proc/PID/maps would print for it; dispose() releases it. */
export interface HostFile extends OpenedFile {
  dispose(): void;
}

/**
 * How a host opens files. The web host goes through workspace.fs only; the Node host reads
 * file: URIs with range reads and knows their device, inode and canonical path.
 */
export interface FileOpener {
  /** A file the user opened (to read, as the ELF editor does; `exec` or `map` as a scenario does). */
  openProgram(uri: vscode.Uri, purpose?: OpenPurpose): Promise<HostFile>;
  /** An absolute path (PT_INTERP) inside `sysroot`, as a process chrooted there would find it. */
  openInSysroot(sysroot: vscode.Uri, path: string): Promise<HostFile>;
  /** The host machine's /proc/cpuinfo (its CPU decides smaps' ProtectionKey line and ld.so's hwcaps search), undefined where it cannot be read. */
  cpuinfo(): Promise<string | undefined>;
  /** The host's /sys/kernel/mm/transparent_hugepage/enabled (a scenario's THP mode before `set thp`), where it can be read. */
  thpEnabled?(): Promise<string | undefined>;
}
