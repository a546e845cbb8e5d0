import type { FileKind } from './open-refusal';
import type { FileAccess } from '../elf/file-access';

/** A file opened for exec, with the path the kernel's d_path would print for it. */
export interface OpenedFile {
  readonly access: FileAccess;
  /** Canonical path, symlinks resolved, as seen from the simulated root. */
  readonly path: string;
  /** The file type fstat saw, where known ('dev/zero' maps as mmap_zero does). */
  readonly kind?: FileKind;
}

/** The simulated machine's files. */
export interface FileSystem {
  /** A path as the user gave it (the program to run, or `map`: a file to mmap): relative to their working directory. */
  openProgram(path: string, purpose?: 'exec' | 'map'): Promise<OpenedFile>;
  /** A path inside the simulated machine (PT_INTERP): absolute paths resolve inside its root (`--sysroot`). */
  open(path: string): Promise<OpenedFile>;
}
