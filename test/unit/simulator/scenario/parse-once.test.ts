// asx run's one-shot parse against the editor's: the same statements and problems, whatever ends the lines.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioOnce } from '../../../../simulator/scenario/parser';

const base = ['set seed 1', 'P = exec ../../fixtures/elf/bin/static', 'A = mmap P 64K rw- private anon   # a comment', '', 'write P A', 'mmap P 4K', 'B = mmap P 4K rw- private anon', 'show maps P'];

describe('parseScenarioOnce', () => {
  let n = 0;
  const same = (text: string) => expect(parseScenarioOnce(text)).toStrictEqual(parseScenario(text, `once-${n++}.aspace`));

  it('parses as parseScenario does with \\n, \\r\\n, \\r, mixed endings, a BOM and no final newline', () => {
    for (const end of ['\n', '\r\n', '\r']) {
      same(base.join(end));
      same(base.join(end) + end);
      same('\uFEFF' + base.join(end));
    }
    same(base.map((l, i) => l + ['\n', '\r\n', '\r'][i % 3]).join(''));
    same('');
    same('\n\n');
  });

  it('parses every oracle scenario as parseScenario does', () => {
    const dir = join(__dirname, '../../../oracle/scenarios');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.aspace'))) same(readFileSync(join(dir, file), 'utf8'));
  });
});
