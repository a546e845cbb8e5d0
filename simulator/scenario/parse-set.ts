// `set ...` statements: the machine's settings, the layout, and the kernel's limits (sysctl and rlimit).
import { ASLR_VALUES, SETTINGS, type Statement } from './ast';
import { EXEC_STOPS } from './ast-set';
import type { AslrMode } from '../loader/randomization';
import { didYouMean, quoteList } from './diagnostics';
import { spanOf, type Token } from './lexer';
import { Cursor, LineError, sizeOf, statementSpan, USAGE, type Base, type StatementScope } from './parse-cursor';
import { checkRlimitResource, checkRlimitValue, checkSysctlValue, isSysctlSetting, LIMIT_USAGE } from './parse-limits';
import { formatSize, isPageAligned, MAX_MACHINE_BYTES, MIN_RAM_BYTES, parseAddress, parseInteger, PAGE_SIZE } from './sizes';

/** `set layout KEY ADDR...` or `set layout random`. */
export function parseLayout(c: Cursor, base: Base): Statement {
  c.usage = USAGE.setLayout;
  const first = c.take(`'load', 'mmap_base', 'stack_top', 'brk' or 'random'`);
  if (first.text === 'random') {
    c.end();
    return { kind: 'set', line: base.line, text: base.text, column: base.column, setting: 'layout', value: undefined };
  }
  const keys = { load: 'load', mmap_base: 'mmapBase', stack_top: 'stackTop', brk: 'brk' } as const;
  const layout: { -readonly [K in (typeof keys)[keyof typeof keys]]?: bigint } = {};
  let key: Token | undefined = first;
  while (key) {
    const field = Object.hasOwn(keys, key.text) ? keys[key.text as keyof typeof keys] : undefined;
    if (field === undefined) throw new LineError(`expected 'load', 'mmap_base', 'stack_top' or 'brk', found '${key.text}'${didYouMean(key.text, Object.keys(keys))}`, spanOf(key));
    if (layout[field] !== undefined) throw new LineError(`'${key.text}' is given twice`, spanOf(key));
    const token = c.take(`the address of ${key.text} (0x...)`);
    const address = parseAddress(token.text);
    if (!address.ok) throw new LineError(address.message, spanOf(token));
    if (!isPageAligned(address.value)) throw new LineError(`${key.text} ${token.text} is not a multiple of the page size ${PAGE_SIZE}`, spanOf(token));
    layout[field] = address.value;
    key = c.peek() && c.take('a layout key');
  }
  return { kind: 'set', line: base.line, text: base.text, column: base.column, setting: 'layout', value: layout };
}

export function parseSet(scope: StatementScope, c: Cursor, base: Base): Statement {
  c.usage = USAGE.set;
  const settingToken = c.take(`a setting (${quoteList(SETTINGS)})`);
  const setting = settingToken.text;
  switch (setting) {
    case 'aslr': {
      const token = c.take(`'off', 'on' or 'full'`);
      const values: Record<string, AslrMode> = { off: 'off', on: 'on', full: 'full', '0': 'off', '1': 'on', '2': 'full' };
      const value = Object.hasOwn(values, token.text) ? values[token.text] : undefined;
      if (value === undefined) {
        throw new LineError(`expected 'off', 'on' or 'full' (randomize_va_space 0, 1 or 2), found '${token.text}'${didYouMean(token.text, ASLR_VALUES)}`, spanOf(token));
      }
      c.end();
      return { kind: 'set', line: base.line, text: base.text, column: base.column, setting: 'aslr', value };
    }
    case 'seed': {
      const token = c.take('a number (decimal or 0x hex)');
      const result = parseInteger(token.text, 'seed');
      if (!result.ok) throw new LineError(result.message, spanOf(token));
      c.end();
      return { kind: 'set', line: base.line, text: base.text, column: base.column, setting: 'seed', value: result.value };
    }
    case 'ram':
    case 'swap': {
      const token = c.take(`the size of ${setting === 'ram' ? 'physical memory' : 'swap space'}`);
      const value = sizeOf(token);
      if (setting === 'ram' && value < MIN_RAM_BYTES) throw new LineError(`ram size ${token.text} is too small: the simulated machine needs at least ${formatSize(MIN_RAM_BYTES)}`, spanOf(token));
      if (value > MAX_MACHINE_BYTES) throw new LineError(`${setting} size ${token.text} is larger than the simulator's limit of ${formatSize(MAX_MACHINE_BYTES)} (2^24 pages)`, spanOf(token));
      c.end();
      // Swap can be switched on at any time (swapon); memory is the machine's own.
      if (setting === 'ram' && scope.firstExecLine !== undefined) {
        scope.warn(`'set ram' after the first exec (line ${scope.firstExecLine}): the machine's memory is usually set before any process runs`, spanOf(settingToken));
      }
      return { kind: 'set', line: base.line, text: base.text, column: base.column, setting, value };
    }
  }
  if (setting === 'layout') return parseLayout(c, base);
  if (setting === 'fault_around') {
    const token = c.take('fault_around_bytes (a size: 4K turns fault-around off, 64K is the default)');
    const value = sizeOf(token);
    // fault_around_bytes_set: at most a page table's worth (PTRS_PER_PTE pages), at least one page.
    if (value < BigInt(PAGE_SIZE) || value > 512n * BigInt(PAGE_SIZE)) throw new LineError(`fault_around ${token.text} must be from 4K (off) to 2M (512 pages): the kernel refuses other values (EINVAL)`, spanOf(token));
    c.end();
    return { kind: 'set', line: base.line, text: base.text, column: base.column, setting: 'fault_around', value };
  }
  if (setting === 'exec') {
    c.usage = USAGE.setExec;
    const token = c.take(`'start' or 'entry'`);
    const value = EXEC_STOPS.find((v) => v === token.text);
    if (value === undefined) throw new LineError(`expected 'start' (the first instruction) or 'entry' (the entry point, after ld.so), found '${token.text}'${didYouMean(token.text, EXEC_STOPS)}`, spanOf(token));
    c.end();
    return { kind: 'set', line: base.line, text: base.text, column: base.column, setting: 'exec', value };
  }
  if (setting === 'machine') {
    const machine = c.peek();
    if (machine && machine.text !== 'toy6') throw new LineError(`unknown machine '${machine.text}'${didYouMean(machine.text, ['toy6'])}: scenarios run on Linux (x86-64) unless the first statement is 'set machine toy6'`, spanOf(machine));
    // Only as the first statement, where parseScenario hands the whole file to the toy6 parser.
    throw new LineError(`'set machine toy6' must come before any other statement: it chooses the machine the whole scenario runs on`, spanOf(settingToken));
  }
  if (setting === 'thp') {
    c.usage = USAGE.setThp;
    const token = c.take(`'always', 'madvise' or 'never'`);
    const modes = ['always', 'madvise', 'never'] as const;
    const value = modes.find((mode) => mode === token.text);
    if (value === undefined) throw new LineError(`expected 'always', 'madvise' or 'never' (/sys/kernel/mm/transparent_hugepage/enabled), found '${token.text}'${didYouMean(token.text, modes)}`, spanOf(token));
    c.end();
    return { kind: 'set', line: base.line, text: base.text, column: base.column, setting: 'thp', value };
  }
  if (setting === 'oom_score_adj') {
    c.usage = 'set oom_score_adj P N';
    const process = scope.useProcess(c.take('a process name'));
    const token = c.take('a number from -1000 to 1000');
    const value = /^[-+]?\d{1,5}$/.test(token.text) ? Number(token.text) : NaN;
    if (!(value >= -1000 && value <= 1000)) throw new LineError(`expected an oom_score_adj from -1000 (never chosen by the OOM killer) to 1000, found '${token.text}'`, spanOf(token));
    c.end();
    return { kind: 'set', line: base.line, text: base.text, column: base.column, setting: 'oom_score_adj', process, value };
  }
  if (setting === 'pkeys') {
    c.usage = USAGE.setPkeys;
    const token = c.take(`'on' or 'off'`);
    if (token.text !== 'on' && token.text !== 'off') throw new LineError(`expected 'on' (the CPU has protection keys: smaps prints ProtectionKey) or 'off', found '${token.text}'${didYouMean(token.text, ['on', 'off'])}`, spanOf(token));
    c.end();
    if (scope.firstExecLine !== undefined) scope.warn(`'set pkeys' after the first exec (line ${scope.firstExecLine}): it is the CPU's, and applies to the whole run`, spanOf(settingToken));
    return { kind: 'set', line: base.line, text: base.text, column: base.column, setting: 'pkeys', value: token.text === 'on' };
  }
  if (isSysctlSetting(setting) || setting === 'rlimit') return parseLimitSetting(scope, c, setting, base);
  throw new LineError(`unknown setting '${setting}'${didYouMean(setting, SETTINGS)}; expected ${quoteList(SETTINGS)}`, spanOf(settingToken));
}

/** `set overcommit|overcommit_ratio|overcommit_kbytes|max_map_count N`, `set rlimit P RESOURCE SIZE|unlimited` (parse-limits.ts). */
export function parseLimitSetting(scope: StatementScope, c: Cursor, setting: string, base: Base): Statement {
  if (setting === 'rlimit') {
    c.usage = LIMIT_USAGE.rlimit;
    const process = scope.useProcess(c.take('a process name'));
    const resourceToken = c.take(`'as', 'data', 'stack' or 'memlock'`);
    const resource = checkRlimitResource(resourceToken.text);
    if (!resource.ok) throw new LineError(resource.message, spanOf(resourceToken));
    const valueToken = c.take(`a size or 'unlimited'`);
    const value = checkRlimitValue(valueToken.text);
    if (!value.ok) throw new LineError(value.message, spanOf(valueToken));
    c.end();
    return { kind: 'set', line: base.line, text: base.text, column: base.column, setting: 'rlimit', process, resource: resource.value, value: value.value };
  }
  if (!isSysctlSetting(setting)) throw new LineError(`unknown setting '${setting}'`, statementSpan(base));
  c.usage = LIMIT_USAGE[setting];
  const token = c.take(setting === 'overcommit' ? '0, 1 or 2' : 'a number');
  const value = checkSysctlValue(setting, token.text);
  if (!value.ok) throw new LineError(value.message, spanOf(token));
  c.end();
  return { kind: 'set', line: base.line, text: base.text, column: base.column, setting, value: value.value };
}
