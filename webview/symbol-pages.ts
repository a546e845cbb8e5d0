import type { HostClient } from './host-client';
import type { SymbolQuery } from './protocol';
import type { SymbolRow } from './view-models';

export const PAGE_SIZE = 200;
/** Pages kept around the viewport; farther ones are dropped and fetched again if needed. */
const MAX_PAGES = 64;

export type SymbolFilter = Omit<SymbolQuery, 'offset' | 'limit'>;

/** The rows of one symbol query, fetched from the host a page at a time as they scroll into view. */
export class SymbolPages {
  total = -1;
  private readonly pages = new Map<number, SymbolRow[]>();
  private readonly loading = new Set<number>();
  private disposed = false;

  constructor(
    private readonly client: HostClient,
    readonly filter: SymbolFilter,
    private readonly onLoaded: () => void,
    private readonly onError: (message: string) => void,
  ) {}

  row(index: number): SymbolRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Fetches the pages holding rows [first, last), and the first page if nothing is known yet. */
  ensure(first: number, last: number): void {
    if (this.total < 0) return void this.load(0);
    for (let p = Math.floor(first / PAGE_SIZE); p * PAGE_SIZE < Math.min(last, this.total); p++) {
      if (!this.pages.has(p)) void this.load(p);
    }
  }

  dispose(): void {
    this.disposed = true;
  }

  private async load(page: number): Promise<void> {
    if (this.loading.has(page)) return;
    this.loading.add(page);
    try {
      const result = await this.client.request('symbols', { ...this.filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      if (this.disposed) return;
      this.total = result.total;
      this.pages.set(page, result.rows);
      this.evictFarFrom(page);
      this.onLoaded();
    } catch (error) {
      if (!this.disposed) this.onError(error instanceof Error ? error.message : String(error));
    } finally {
      this.loading.delete(page);
    }
  }

  private evictFarFrom(page: number): void {
    if (this.pages.size <= MAX_PAGES) return;
    const farthest = [...this.pages.keys()].sort((a, b) => Math.abs(b - page) - Math.abs(a - page));
    for (const p of farthest.slice(0, this.pages.size - MAX_PAGES)) this.pages.delete(p);
  }
}
