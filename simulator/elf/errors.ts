/** A malformed or unsupported ELF file: says where (file offset, field) and what. */
export class ElfError extends Error {
  constructor(
    readonly offset: number,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`offset 0x${offset.toString(16)}: ${field}: ${problem}`);
    this.name = 'ElfError';
  }
}
