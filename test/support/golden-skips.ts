// A skipped golden protects nothing: each golden suite says at its end how many of its cases ran,
// how many it skipped, and why, in one line of the test output.
import { afterAll } from 'vitest';

export class GoldenLedger {
  private readonly skipped = new Map<string, string[]>();
  private total = 0;

  constructor(private readonly suite: string) {
    afterAll(() => console.log(this.summary()));
  }

  /** Whether the case runs; a reason (undefined: none) makes it a skip, noted for the summary. */
  runs(name: string, skipReason: string | undefined): boolean {
    this.total++;
    if (skipReason === undefined) return true;
    this.skipped.set(skipReason, [...(this.skipped.get(skipReason) ?? []), name]);
    return false;
  }

  summary(): string {
    const count = [...this.skipped.values()].reduce((n, names) => n + names.length, 0);
    const why = [...this.skipped].map(([reason, names]) => `${names.length} because ${reason} (${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''})`);
    return `${this.suite}: ${this.total - count} of ${this.total} ran, ${count} skipped${why.length ? `: ${why.join('; ')}` : ''}`;
  }
}
