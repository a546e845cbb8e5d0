const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');
/** Longer names are cut (real C++ symbols stay far below this). */
const MAX_NAME_LENGTH = 8192;
// A regex scan of the decoded text is far faster than a per-byte callback on big tables.
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * A NUL-terminated string table (.strtab, .dynstr, .shstrtab). Decoded once as
 * one byte per character so that lookups are substring calls; names with
 * non-ASCII bytes are re-decoded as UTF-8.
 */
export class StringTable {
  private readonly text: string;
  private readonly asciiOnly: boolean;

  constructor(private readonly bytes: Uint8Array) {
    this.text = latin1.decode(bytes);
    this.asciiOnly = !NON_ASCII.test(this.text);
  }

  static readonly EMPTY = new StringTable(new Uint8Array(0));

  get size(): number {
    return this.bytes.length;
  }

  /** The string at `offset`; `<corrupt>` when the offset lies outside the table. */
  at(offset: number): string {
    if (offset < 0 || offset >= this.bytes.length) return offset === 0 ? '' : '<corrupt>';
    let end = this.text.indexOf('\0', offset);
    if (end < 0) end = this.text.length;
    // A hostile table without NULs would make every name megabytes long.
    const truncated = end - offset > MAX_NAME_LENGTH;
    if (truncated) end = offset + MAX_NAME_LENGTH;
    const slice = this.bytes.subarray(offset, end);
    const name = !this.asciiOnly && slice.some((b) => b >= 0x80) ? utf8.decode(slice) : this.text.substring(offset, end);
    return truncated ? `${name}[...]` : name;
  }
}
