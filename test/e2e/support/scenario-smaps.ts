// smaps of a region as `asx run` prints it and as the scenario panel's smaps tab shows it, to compare.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { e2eEnv } from './e2e-env';

/** What `asx run` prints for `show smaps PROCESS A` after line `line` of a scenario (the file cut there): name → number (THPeligible has no kB). */
export function asxSmapsAfter(file: string, line: number, name: string): Record<string, number> {
  const lines = readFileSync(file, 'utf8').split('\n').slice(0, line);
  const cut = join(file, '..', `.cut-${line}-${name}.aspace`);
  writeFileSync(cut, [...lines, `show smaps ${name} A`, ''].join('\n'));
  try {
    const out = execFileSync(process.execPath, [join(e2eEnv('root'), 'bin/asx.js'), 'run', cut], { encoding: 'utf8' });
    const fields: Record<string, number> = {};
    for (const m of out.matchAll(/^(\w+):\s+(\d+)(?: kB)?$/gm)) fields[m[1] as string] = Number(m[2]);
    return fields;
  } finally {
    rmSync(cut, { force: true });
  }
}

/** The rows of the smaps tab: field name → its number. */
export async function panelSmaps(view: FrameLocator): Promise<Record<string, number>> {
  const rows = await view.locator('.smaps-table tr[data-field]').evaluateAll((trs) => trs.map((tr) => [
    (tr as unknown as { dataset: { field: string } }).dataset.field,
    (tr as unknown as { querySelector(s: string): { textContent: string } | null }).querySelector('td.kb')?.textContent ?? '',
  ]));
  return Object.fromEntries(rows.map(([name, kb]) => [name, Number(String(kb).replace(/[^\d]/g, ''))]));
}
