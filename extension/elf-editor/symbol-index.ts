import type { ElfFile } from '../../simulator/elf/elf-file';
import type { SymbolTable } from '../../simulator/elf/symbols';
import type { SymbolQuery } from '../../webview/protocol';
import type { SymbolPage } from '../../webview/view-models';
import { addressRange, symbolInRange, symbolName, symbolRow } from './symbol-rows';

/**
 * A search gives the event loop a turn once it has worked this long, so that a search over 200k
 * names never holds the host for long; it looks at the clock every CHECK symbols. (A turn every
 * 16,384 symbols made a first search over 200k names wait through 26 turns, a quarter of its time.)
 */
const SLICE_MS = 12;
const CHECK = 2048;
const CACHED_SEARCHES = 8;
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Yields to the event loop when the slice that began at `since` (performance.now) is used up: the new slice's start, or `since`. */
async function pause(since: number): Promise<number> {
  if (performance.now() - since < SLICE_MS) return since;
  await yieldToEventLoop();
  return performance.now();
}

/** A search that a newer one replaced before it finished. */
export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer search');
    this.name = 'SupersededError';
  }
}

/** The symbol tables of one file, served a page at a time; searches run in chunks and are cached. */
export class SymbolIndex {
  private tables?: Promise<SymbolTable[]>;
  private readonly lowerNames = new Map<number, Promise<string[]>>();
  private readonly searches = new Map<string, Promise<Int32Array>>();
  private generation = 0;

  constructor(private readonly elf: ElfFile) {}

  async page(query: SymbolQuery): Promise<SymbolPage> {
    this.tables ??= this.elf.symbolTables();
    const table = (await this.tables)[query.table];
    if (!table) throw new Error(`there is no symbol table ${query.table}`);
    const matches = query.text || query.range ? await this.search(query.table, table, query) : undefined;
    const total = matches ? matches.length : table.count;
    const end = Math.min(total, query.offset + query.limit);
    const rows = [];
    for (let i = query.offset; i < end; i++) rows.push(symbolRow(table, matches ? (matches[i] as number) : i));
    return { table: query.table, total, offset: query.offset, rows };
  }

  private search(tableIndex: number, table: SymbolTable, query: SymbolQuery): Promise<Int32Array> {
    const key = JSON.stringify([tableIndex, query.text.toLowerCase(), query.range]);
    let found = this.searches.get(key);
    if (found) {
      this.searches.delete(key); // most recently used last
    } else {
      found = this.scan(tableIndex, table, query, ++this.generation);
      found.catch(() => this.searches.delete(key));
    }
    this.searches.set(key, found);
    while (this.searches.size > CACHED_SEARCHES) this.searches.delete(this.searches.keys().next().value as string);
    return found;
  }

  private async scan(tableIndex: number, table: SymbolTable, query: SymbolQuery, generation: number): Promise<Int32Array> {
    const text = query.text.toLowerCase();
    const names = text ? await this.namesOf(tableIndex, table) : [];
    const range = query.range ? addressRange(query.range.start, query.range.end) : undefined;
    const hits = new Int32Array(table.count);
    let count = 0;
    let slice = performance.now();
    for (let start = 0; start < table.count; start += CHECK) {
      slice = await pause(slice);
      if (generation !== this.generation) throw new SupersededError();
      const end = Math.min(table.count, start + CHECK);
      for (let i = start; i < end; i++) {
        if (text && !(names[i] as string).includes(text)) continue;
        if (range && !symbolInRange(table, i, range)) continue;
        hits[count++] = i;
      }
    }
    return hits.slice(0, count);
  }

  /** Lower-cased names of a table, decoded once, in chunks. */
  private namesOf(tableIndex: number, table: SymbolTable): Promise<string[]> {
    let names = this.lowerNames.get(tableIndex);
    if (!names) {
      names = (async () => {
        const out = new Array<string>(table.count);
        let slice = performance.now();
        for (let start = 0; start < table.count; start += CHECK) {
          slice = await pause(slice);
          const end = Math.min(table.count, start + CHECK);
          for (let i = start; i < end; i++) out[i] = symbolName(table, i).toLowerCase();
        }
        return out;
      })();
      this.lowerNames.set(tableIndex, names);
    }
    return names;
  }
}
