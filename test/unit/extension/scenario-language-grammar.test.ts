// The TextMate grammar of .aspace (syntaxes/aspace.tmLanguage.json), run by a small tokenizer
// that follows vscode-textmate for what the grammar uses: single-line begin/end rules ending at
// `$`, match rules, captures and repository includes. Its regexes are also valid Oniguruma.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/exec-layout';

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, { name: string }>;
  beginCaptures?: Record<string, { name: string }>;
}

const grammar = JSON.parse(readFileSync(resolve(REPO_ROOT, 'syntaxes/aspace.tmLanguage.json'), 'utf8')) as { scopeName: string; patterns: Rule[]; repository: Record<string, Rule> };

function flatten(rules: readonly Rule[]): Rule[] {
  return rules.flatMap((r) => {
    if (r.include) {
      const target = grammar.repository[r.include.slice(1)];
      if (!target) throw new Error(`no repository rule ${r.include}`);
      return flatten([target]);
    }
    if (!r.match && !r.begin && r.patterns) return flatten(r.patterns);
    return [r];
  });
}

/** The scope of every character of a line (the innermost one), `''` where there is none. */
function scopes(line: string): string[] {
  const out: string[] = new Array<string>(line.length).fill('');
  const paint = (start: number, end: number, scope?: string) => {
    if (scope) for (let i = start; i < end; i++) out[i] = scope;
  };
  const scan = (from: number, rules: readonly Rule[], base?: string) => {
    const flat = flatten(rules);
    let pos = from;
    paint(from, line.length, base);
    while (pos < line.length) {
      let best: { rule: Rule; m: RegExpExecArray } | undefined;
      for (const rule of flat) {
        const re = new RegExp(rule.match ?? rule.begin ?? '', 'dgm');
        re.lastIndex = pos;
        const m = re.exec(line);
        if (m && (!best || m.index < best.m.index)) best = { rule, m };
      }
      if (!best) return;
      const { rule, m } = best;
      const end = m.index + m[0].length;
      paint(m.index, end, rule.name);
      for (const [group, capture] of Object.entries((rule.match ? rule.captures : rule.beginCaptures) ?? {})) {
        const span = m.indices?.[Number(group)];
        if (span) paint(span[0], span[1], capture.name);
      }
      if (rule.begin) {
        scan(end, rule.patterns ?? [], undefined);
        return;
      }
      pos = end > pos ? end : pos + 1;
    }
  };
  scan(0, grammar.patterns);
  return out;
}

/** The scope of each word of a line: [word, scope] for every blank-separated word. */
function words(line: string): [string, string][] {
  const s = scopes(line);
  return [...line.matchAll(/[^\s=]+|=/g)].map((m) => [m[0], s[m.index ?? 0] ?? '']);
}

describe('aspace grammar', () => {
  it('is valid: every regex compiles', () => {
    const all: Rule[] = [...grammar.patterns, ...Object.values(grammar.repository)];
    const visit = (r: Rule) => {
      for (const re of [r.match, r.begin, r.end]) if (re !== undefined) expect(() => new RegExp(re)).not.toThrow();
      r.patterns?.forEach(visit);
    };
    all.forEach(visit);
    expect(grammar.scopeName).toBe('source.aspace');
  });

  it('colours definitions, keywords, paths and comments', () => {
    expect(words('P = exec hello/hello arg1  # the program')).toEqual([
      ['P', 'entity.name.type.process.definition.aspace'],
      ['=', 'keyword.operator.assignment.aspace'],
      ['exec', 'keyword.control.exec.aspace'],
      ['hello/hello', 'string.unquoted.path.aspace'],
      ['arg1', 'string.unquoted.argument.aspace'],
      ['#', 'punctuation.definition.comment.aspace'],
      ['the', 'comment.line.number-sign.aspace'],
      ['program', 'comment.line.number-sign.aspace'],
    ]);
    expect(words('Q = fork P')).toEqual([
      ['Q', 'entity.name.type.process.definition.aspace'],
      ['=', 'keyword.operator.assignment.aspace'],
      ['fork', 'keyword.control.fork.aspace'],
      ['P', 'entity.name.type.process.aspace'],
    ]);
  });

  it('colours mmap operands: size with suffix, perms, sharing, backing, path and offset', () => {
    expect(words('F = mmap P 0x10P r-- shared file data/notes.txt offset 4K')).toEqual([
      ['F', 'variable.other.region.definition.aspace'],
      ['=', 'keyword.operator.assignment.aspace'],
      ['mmap', 'support.function.syscall.aspace'],
      ['P', 'entity.name.type.process.aspace'],
      ['0x10P', 'constant.numeric.hex.aspace'],
      ['r--', 'storage.modifier.permissions.aspace'],
      ['shared', 'storage.modifier.sharing.aspace'],
      ['file', 'storage.type.backing.aspace'],
      ['data/notes.txt', 'string.unquoted.path.aspace'],
      ['offset', 'keyword.other.offset.aspace'],
      ['4K', 'constant.numeric.decimal.aspace'],
    ]);
    expect(scopes('A = mmap P 64K rw- private anon')[13]).toBe('keyword.other.unit.aspace');
  });

  it('colours accesses, targets, advice and addresses', () => {
    expect(words('madvise P buf 0 16K pageout')).toEqual([
      ['madvise', 'support.function.syscall.aspace'],
      ['P', 'entity.name.type.process.aspace'],
      ['buf', 'variable.other.region.aspace'],
      ['0', 'constant.numeric.decimal.aspace'],
      ['16K', 'constant.numeric.decimal.aspace'],
      ['pageout', 'constant.language.advice.aspace'],
    ]);
    expect(words('write P heap')[2]).toEqual(['heap', 'variable.language.target.aspace']);
    expect(words('read P 0x7ffff7ff0000')[2]).toEqual(['0x7ffff7ff0000', 'constant.numeric.hex.address.aspace']);
    expect(words('brk P +64K')[2]).toEqual(['+64K', 'constant.numeric.decimal.aspace']);
    expect(words('mprotect P A 0 4K r-x')[5]).toEqual(['r-x', 'storage.modifier.permissions.aspace']);
  });

  it('colours the toy6 statements: set machine, poke, process cr3, binary numbers, privilege and expectations', () => {
    expect(words('set machine toy6')).toEqual([
      ['set', 'keyword.control.set.aspace'],
      ['machine', 'variable.language.setting.aspace'],
      ['toy6', 'constant.language.setting-value.aspace'],
    ]);
    expect(words('poke 0x08 0b011101')).toEqual([
      ['poke', 'keyword.control.poke.aspace'],
      ['0x08', 'constant.numeric.hex.aspace'],
      ['0b011101', 'constant.numeric.binary.aspace'],
    ]);
    expect(words('A = process cr3 8')).toEqual([
      ['A', 'entity.name.type.process.definition.aspace'],
      ['=', 'keyword.operator.assignment.aspace'],
      ['process', 'keyword.control.process.aspace'],
      ['cr3', 'variable.language.register.aspace'],
      ['8', 'constant.numeric.decimal.aspace'],
    ]);
    expect(words('write A 13 0b101 kernel').slice(3)).toEqual([
      ['0b101', 'constant.numeric.binary.aspace'],
      ['kernel', 'storage.modifier.privilege.aspace'],
    ]);
    expect(words('expect A 5 write user fault W').slice(4)).toEqual([
      ['user', 'storage.modifier.privilege.aspace'],
      ['fault', 'keyword.other.expectation.aspace'],
      ['W', 'constant.language.pte-bit.aspace'],
    ]);
    expect(words('show physmem')[1]).toEqual(['physmem', 'support.type.show.aspace']);
  });

  it('colours expect fields, killed and signals, show kinds and settings', () => {
    const line = 'expect P A Rss=32K Pss=16K';
    expect(words(line).slice(0, 3)).toEqual([
      ['expect', 'keyword.control.expect.aspace'],
      ['P', 'entity.name.type.process.aspace'],
      ['A', 'variable.other.region.aspace'],
    ]);
    const s = scopes(line);
    expect([s[11], s[14], s[15], s[17]]).toEqual(['support.type.property-name.smaps.aspace', 'keyword.operator.aspace', 'constant.numeric.aspace', 'keyword.other.unit.aspace']);
    expect(words('expect Q killed SIGSEGV')).toEqual([
      ['expect', 'keyword.control.expect.aspace'],
      ['Q', 'entity.name.type.process.aspace'],
      ['killed', 'keyword.other.killed.aspace'],
      ['SIGSEGV', 'constant.language.signal.aspace'],
    ]);
    expect(words('show pagetable P A 0x8000')).toEqual([
      ['show', 'keyword.control.show.aspace'],
      ['pagetable', 'support.type.show.aspace'],
      ['P', 'entity.name.type.process.aspace'],
      ['A', 'variable.other.region.aspace'],
      ['0x8000', 'constant.numeric.hex.aspace'],
    ]);
    expect(words('set aslr full')).toEqual([
      ['set', 'keyword.control.set.aspace'],
      ['aslr', 'variable.language.setting.aspace'],
      ['full', 'constant.language.setting-value.aspace'],
    ]);
    expect(words('set exec entry')).toEqual([
      ['set', 'keyword.control.set.aspace'],
      ['exec', 'variable.language.setting.aspace'],
      ['entry', 'constant.language.setting-value.aspace'],
    ]);
    expect(words('dlopen P libm.so.6')).toEqual([
      ['dlopen', 'support.function.dlopen.aspace'],
      ['P', 'entity.name.type.process.aspace'],
      ['libm.so.6', 'string.unquoted.path.aspace'],
    ]);
    expect(words('set swap 64M')[2]).toEqual(['64M', 'constant.numeric.decimal.aspace']);
  });

  it('marks an unknown statement word as invalid', () => {
    expect(words('mapp P A')[0]).toEqual(['mapp', 'invalid.illegal.statement.aspace']);
    expect(words('   # only a comment')[0]).toEqual(['#', 'punctuation.definition.comment.aspace']);
  });
});
