// The parser: every statement form with its column, every error path with
// its exact file:line:column message, and the semantic checks.
import { describe, expect, it } from 'vitest';
import type { Statement } from '../../../../simulator/scenario/ast';
import { formatDiagnostic } from '../../../../simulator/scenario/diagnostics';
import { isName } from '../../../../simulator/scenario/parse-cursor';
import { parseScenario } from '../../../../simulator/scenario/parser';

const parse = (text: string) => parseScenario(text, 's.aspace');
const PRELUDE = 'P = exec ./prog\nR = mmap P 16K rw- private anon\n';

/** The statement of `line` (line 3, after a process P and a region R), which must parse cleanly. */
function stmt(line: string): Statement {
  const result = parse(PRELUDE + line);
  expect(result.diagnostics.map((d) => formatDiagnostic('s.aspace', d))).toEqual([]);
  expect(result.statements).toHaveLength(3);
  const s = result.statements[2];
  if (s === undefined) throw new Error('no statement');
  return s;
}

/** The diagnostics of `text`, formatted. */
const diags = (text: string): string[] => parse(text).diagnostics.map((d) => formatDiagnostic('s.aspace', d));

/** The one error of `line` (line 3, after P and R). */
function err(line: string): string {
  const all = diags(PRELUDE + line);
  expect(all).toHaveLength(1);
  return all[0] ?? '';
}


describe('settings', () => {
  it('parses set aslr off|on|full (and 0|1|2)', () => {
    const r = parse('set aslr off\nset aslr on\nset aslr full\nset aslr 0\nset aslr 1\nset aslr 2');
    expect(r.diagnostics).toEqual([]);
    expect(r.statements.map((s) => (s.kind === 'set' ? s.value : undefined))).toEqual(['off', 'on', 'full', 'off', 'on', 'full']);
    expect(r.statements[0]).toEqual({ kind: 'set', line: 1, text: 'set aslr off', column: 1, setting: 'aslr', value: 'off' });
  });
  it('parses seed, ram and swap', () => {
    const r = parse('set seed 42\nset seed 0xdeadbeef\nset ram 64M\nset swap 0\nset swap 0x100P');
    expect(r.diagnostics).toEqual([]);
    expect(r.statements.map((s) => (s.kind === 'set' ? [s.setting, s.value] : undefined))).toEqual([
      ['seed', 42n], ['seed', 0xdeadbeefn], ['ram', 64n << 20n], ['swap', 0n], ['swap', 0x100n * 4096n],
    ]);
  });
  it('parses set pkeys on|off, and warns when it comes after an exec (it is the CPU\'s)', () => {
    const r = parse('set pkeys off\nset pkeys on');
    expect(r.diagnostics).toEqual([]);
    expect(r.statements.map((s) => (s.kind === 'set' ? [s.setting, s.value] : undefined))).toEqual([['pkeys', false], ['pkeys', true]]);
    expect(diags('set pkeys of')).toEqual([`s.aspace:1:11: expected 'on' (the CPU has protection keys: smaps prints ProtectionKey) or 'off', found 'of' (did you mean 'off'?)`]);
    expect(parse('P = exec x\nset pkeys off').diagnostics.map((d) => [d.severity, d.message])).toEqual([['warning', `'set pkeys' after the first exec (line 1): it is the CPU's, and applies to the whole run`]]);
  });
  it('rejects unknown settings and values', () => {
    expect(diags('set aslr maybe')).toEqual([`s.aspace:1:10: expected 'off', 'on' or 'full' (randomize_va_space 0, 1 or 2), found 'maybe'`]);
    expect(diags('set aslr of')).toEqual([`s.aspace:1:10: expected 'off', 'on' or 'full' (randomize_va_space 0, 1 or 2), found 'of' (did you mean 'off'?)`]);
    expect(diags('set aslr')).toEqual([`s.aspace:1:9: expected 'off', 'on' or 'full', found end of line (usage: set aslr off|on|full, set seed N, set ram SIZE, set swap SIZE, set exec start|entry, set pkeys on|off, set thp always|madvise|never, set fault_around SIZE, set layout …, set overcommit 0|1|2, set overcommit_ratio N, set overcommit_kbytes N, set max_map_count N, set rlimit P as|data|stack|memlock SIZE|unlimited, set oom_score_adj P N)`]);
    expect(diags('set rma 1G')).toEqual([`s.aspace:1:5: unknown setting 'rma' (did you mean 'ram'?); expected 'aslr', 'seed', 'ram', 'swap', 'exec', 'pkeys', 'thp', 'fault_around', 'layout', 'overcommit', 'overcommit_ratio', 'overcommit_kbytes', 'max_map_count', 'rlimit' or 'oom_score_adj'`]);
    expect(diags('set')).toEqual([`s.aspace:1:4: expected a setting ('aslr', 'seed', 'ram', 'swap', 'exec', 'pkeys', 'thp', 'fault_around', 'layout', 'overcommit', 'overcommit_ratio', 'overcommit_kbytes', 'max_map_count', 'rlimit' or 'oom_score_adj'), found end of line (usage: set aslr off|on|full, set seed N, set ram SIZE, set swap SIZE, set exec start|entry, set pkeys on|off, set thp always|madvise|never, set fault_around SIZE, set layout …, set overcommit 0|1|2, set overcommit_ratio N, set overcommit_kbytes N, set max_map_count N, set rlimit P as|data|stack|memlock SIZE|unlimited, set oom_score_adj P N)`]);
    expect(diags('set seed 4K')).toEqual([`s.aspace:1:10: expected a seed (decimal or 0x hex) without a size suffix, found '4K'`]);
    expect(diags('set seed -1')).toEqual([`s.aspace:1:10: seed '-1' is negative; expected a number >= 0`]);
    expect(diags('set ram 0')).toEqual([`s.aspace:1:9: ram size 0 is too small: the simulated machine needs at least 1M`]);
    expect(diags('set ram 1G 2G')).toEqual([`s.aspace:1:12: unexpected '2G': expected end of line (usage: set aslr off|on|full, set seed N, set ram SIZE, set swap SIZE, set exec start|entry, set pkeys on|off, set thp always|madvise|never, set fault_around SIZE, set layout …, set overcommit 0|1|2, set overcommit_ratio N, set overcommit_kbytes N, set max_map_count N, set rlimit P as|data|stack|memlock SIZE|unlimited, set oom_score_adj P N)`]);
    expect(diags('set ram 99999999999999999999')).toEqual([`s.aspace:1:9: size '99999999999999999999' does not fit in 64 bits (the largest is 0xffffffffffffffff, 2^64 - 1)`]);
  });
  it('warns when ram is set after the first exec, not swap (swapon), aslr or seed', () => {
    const r = parse('P = exec x\nset ram 1G\nset swap 1G\nset aslr on\nset seed 3');
    expect(r.statements).toHaveLength(5);
    expect(r.diagnostics.map((d) => formatDiagnostic('s.aspace', d))).toEqual([
      `s.aspace:2:5: warning: 'set ram' after the first exec (line 1): the machine's memory is usually set before any process runs`,
    ]);
    expect(r.diagnostics[0]?.severity).toBe('warning');
  });
});

describe('processes', () => {
  it('parses exec with a path and arguments', () => {
    const r = parse('my-proc_1 = exec ../bin/hello --flag x=1 "quoted"');
    expect(r.diagnostics).toEqual([]);
    expect(r.statements[0]).toEqual({
      kind: 'exec', line: 1, text: 'my-proc_1 = exec ../bin/hello --flag x=1 "quoted"', column: 1,
      process: { name: 'my-proc_1' },
      path: { text: '../bin/hello', column: 18 },
      args: [{ text: '--flag', column: 31 }, { text: 'x=1', column: 38 }, { text: '"quoted"', column: 42 }],
    });
  });
  it('accepts the assignment without blanks around =', () => {
    for (const text of ['P=exec x', 'P =exec x', 'P= exec x']) {
      const r = parse(text);
      expect(r.diagnostics).toEqual([]);
      expect(r.statements[0]).toMatchObject({ kind: 'exec', text, process: { name: 'P' }, path: { text: 'x' } });
    }
    expect(parse('Q=fork P').statements).toHaveLength(1);
  });
  it('parses fork and exit', () => {
    expect(stmt('Q = fork P')).toEqual({
      kind: 'fork', line: 3, text: 'Q = fork P', column: 1, child: { name: 'Q' }, parent: { name: 'P' },
    });
    expect(stmt('exit P')).toEqual({ kind: 'exit', line: 3, text: 'exit P', column: 1, process: { name: 'P' } });
  });
  it('rejects bad names, missing paths and unknown right-hand sides', () => {
    expect(diags('1P = exec x')).toEqual([`s.aspace:1:1: bad process name '1P': a name starts with a letter or '_' and continues with letters, digits, '_' or '-'`]);
    expect(diags('P.x = exec x')).toEqual([`s.aspace:1:1: bad process name 'P.x': a name starts with a letter or '_' and continues with letters, digits, '_' or '-'`]);
    expect(diags('P = exec')).toEqual([`s.aspace:1:9: expected the path of an ELF file, found end of line (usage: P = exec PATH [ARGS...])`]);
    expect(diags('P = exe x')).toEqual([`s.aspace:1:5: expected 'exec', 'fork', 'mmap' or 'thread' after '=', found 'exe' (did you mean 'exec'?)`]);
    expect(diags('P =')).toEqual([`s.aspace:1:4: expected 'exec', 'fork', 'mmap' or 'thread' after '=', found end of line`]);
    expect(diags('P exec x')).toEqual([`s.aspace:1:3: expected '=' between 'P' and 'exec' (usage: P = exec PATH [ARGS...])`]);
    expect(diags('= exec x')).toEqual([`s.aspace:1:1: expected a name before '=' (usage: P = exec PATH [ARGS...])`]);
    expect(err('Q = fork')).toBe(`s.aspace:3:9: expected the name of the process to fork, found end of line (usage: Q = fork P)`);
    expect(err('Q = fork P P')).toBe(`s.aspace:3:12: unexpected 'P': expected end of line (usage: Q = fork P)`);
    expect(err('Q = fork 0x10')).toBe(`s.aspace:3:10: expected a process name, found '0x10'`);
    expect(err('exit')).toBe(`s.aspace:3:5: expected a process name, found end of line (usage: exit P)`);
  });
  it('reports a process used before it is defined, a region used as a process, and warns on use after exit', () => {
    expect(diags('Q = fork P')).toEqual([`s.aspace:1:10: process 'P' is not defined; define it first with 'P = exec PATH' or 'P = fork P'`]);
    expect(diags('Proc = exec x\nexit Prc')).toEqual([`s.aspace:2:6: process 'Prc' is not defined (did you mean 'Proc'?); define it first with 'Prc = exec PATH' or 'Prc = fork P'`]);
    expect(err('exit R')).toBe(`s.aspace:3:6: 'R' is a region (line 2), not a process`);
    // A dead process is the run's business (a fault can kill it too): a warning, not an error.
    const r = parse(PRELUDE + 'exit P\nread P R\nexit P\nQ = fork P');
    expect(r.diagnostics.map((d) => formatDiagnostic('s.aspace', d))).toEqual([
      `s.aspace:4:6: warning: process 'P' exited at line 3: this statement acts on a dead process`,
      `s.aspace:5:6: warning: process 'P' exited at line 3: this statement acts on a dead process`,
      `s.aspace:6:10: warning: process 'P' exited at line 3: this statement acts on a dead process`,
    ]);
    expect(r.statements.map((s) => s.kind)).toEqual(['exec', 'mmap', 'exit', 'access', 'exit', 'fork']);
  });
  it('does not let a process fork itself into existence', () => {
    expect(diags('P = fork P')).toEqual([`s.aspace:1:10: process 'P' is not defined; define it first with 'P = exec PATH' or 'P = fork P'`]);
  });
  it('warns on redefinition, but not of an exited process', () => {
    expect(diags('P = exec a\nP = exec b')).toEqual([`s.aspace:2:1: warning: 'P' is already defined (a process, line 1); from here on it names the new process`]);
    expect(diags('P = exec a\nexit P\nP = exec b\nread P heap')).toEqual([]);
    expect(diags(PRELUDE + 'R = mmap P 4K r-- private anon')).toEqual([`s.aspace:3:1: warning: 'R' is already defined (a region, line 2); from here on it names the new region`]);
    // A name that changes kind follows its newest definition.
    expect(diags(PRELUDE + 'P = mmap P 4K r-- private anon\nread P P')).toEqual([
      `s.aspace:3:1: warning: 'P' is already defined (a process, line 1); from here on it names the new region`,
      `s.aspace:4:6: 'P' is a region (line 3), not a process`,
    ]);
  });
  it('defines the name even when the rest of the line is wrong, so later lines do not cascade', () => {
    expect(diags('P = exec x\nR = mmap P 0 rw- private anon\nread P R')).toEqual([`s.aspace:2:12: mmap size must be greater than 0 (mmap of length 0 fails with EINVAL)`]);
  });
});

describe('mmap', () => {
  it('parses an anonymous mapping', () => {
    expect(stmt('A = mmap P 0x10P rw- shared anon')).toEqual({
      kind: 'mmap', line: 3, text: 'A = mmap P 0x10P rw- shared anon', column: 1,
      region: { name: 'A' }, process: { name: 'P' },
      size: 65536n,
      perms: { read: true, write: true, execute: false, text: 'rw-' },
      sharing: 'shared', backing: { kind: 'anon' },
    });
  });
  it('parses a file mapping with and without an offset', () => {
    expect(stmt('F = mmap P 8K r-x private file data/lib.so')).toMatchObject({
      kind: 'mmap', perms: { read: true, write: false, execute: true }, sharing: 'private',
      backing: { kind: 'file', path: { text: 'data/lib.so', column: 32 }, offset: 0n },
    });
    const s = stmt('F = mmap P 1 --- shared file f.bin offset 2P');
    expect(s).toMatchObject({ size: 1n, perms: { read: false, write: false, execute: false, text: '---' }, backing: { kind: 'file', offset: 8192n } });
  });
  it('rejects bad sizes, permissions, sharing, backing and offsets', () => {
    expect(err('A = mmap P 0 rw- private anon')).toBe(`s.aspace:3:12: mmap size must be greater than 0 (mmap of length 0 fails with EINVAL)`);
    expect(err('A = mmap P 0x0P rw- private anon')).toBe(`s.aspace:3:12: mmap size must be greater than 0 (mmap of length 0 fails with EINVAL)`);
    expect(err('A = mmap P 4X rw- private anon')).toBe(`s.aspace:3:12: bad size '4X': unknown suffix 'X'; expected K, M, G or P`);
    expect(err('A = mmap P 4K rwx- private anon')).toBe(`s.aspace:3:15: bad permissions 'rwx-': expected three characters r or -, w or -, x or -, such as 'rw-', 'r-x' or '---'`);
    expect(err('A = mmap P 4K wr- private anon')).toBe(`s.aspace:3:15: bad permissions 'wr-': expected three characters r or -, w or -, x or -, such as 'rw-', 'r-x' or '---'`);
    expect(err('A = mmap P 4K RW- private anon')).toBe(`s.aspace:3:15: bad permissions 'RW-': expected three characters r or -, w or -, x or -, such as 'rw-', 'r-x' or '---'; write them in lower case: 'rw-'`);
    expect(err('A = mmap P 4K rw-p private anon')).toBe(`s.aspace:3:15: bad permissions 'rw-p': expected three characters r or -, w or -, x or -, such as 'rw-', 'r-x' or '---'; the 4th character of /proc/PID/maps is not part of PERMS: write 'rw-' and private or shared`);
    expect(err('A = mmap P 4K rw- privat anon')).toBe(`s.aspace:3:19: expected 'private' or 'shared', found 'privat' (did you mean 'private'?)`);
    expect(err('A = mmap P 4K rw- public anon')).toBe(`s.aspace:3:19: expected 'private' or 'shared', found 'public'`);
    expect(err('A = mmap P 4K rw- private anonymous')).toBe(`s.aspace:3:27: expected 'anon' or 'file PATH', found 'anonymous'`);
    expect(err('A = mmap P 4K rw- private anno')).toBe(`s.aspace:3:27: expected 'anon' or 'file PATH', found 'anno' (did you mean 'anon'?)`);
    expect(err('A = mmap P 4K rw- private anon x')).toBe(`s.aspace:3:32: unexpected 'x': expected 'at ADDR' or end of line (usage: R = mmap P SIZE PERMS private|shared anon [at ADDR], or R = mmap P SIZE PERMS private|shared file PATH [offset OFF] [at ADDR])`);
    expect(err('A = mmap P 4K rw- private file')).toBe(`s.aspace:3:31: expected the path of the file to map, found end of line (usage: R = mmap P SIZE PERMS private|shared anon [at ADDR], or R = mmap P SIZE PERMS private|shared file PATH [offset OFF] [at ADDR])`);
    expect(err('A = mmap P 4K rw- private file f 4K')).toBe(`s.aspace:3:34: unexpected '4K': expected 'offset OFF', 'at ADDR' or end of line (usage: R = mmap P SIZE PERMS private|shared anon [at ADDR], or R = mmap P SIZE PERMS private|shared file PATH [offset OFF] [at ADDR])`);
    expect(err('A = mmap P 4K rw- private file f ofset 4K')).toBe(`s.aspace:3:34: unexpected 'ofset' (did you mean 'offset'?): expected 'offset OFF', 'at ADDR' or end of line (usage: R = mmap P SIZE PERMS private|shared anon [at ADDR], or R = mmap P SIZE PERMS private|shared file PATH [offset OFF] [at ADDR])`);
    expect(err('A = mmap P 4K rw- private file f offset')).toBe(`s.aspace:3:40: expected the file offset, found end of line (usage: R = mmap P SIZE PERMS private|shared anon [at ADDR], or R = mmap P SIZE PERMS private|shared file PATH [offset OFF] [at ADDR])`);
    expect(err('A = mmap P 4K rw- private file f offset 100')).toBe(`s.aspace:3:41: mmap offset 100 (0x64) is not a multiple of the page size 4096: mmap fails with EINVAL`);
    expect(err('A = mmap P 4K rw- private file f offset 0x1800')).toBe(`s.aspace:3:41: mmap offset 0x1800 (0x1800) is not a multiple of the page size 4096: mmap fails with EINVAL`);
    expect(err('A = mmap P 4K rw-')).toBe(`s.aspace:3:18: expected 'private' or 'shared', found end of line (usage: R = mmap P SIZE PERMS private|shared anon [at ADDR], or R = mmap P SIZE PERMS private|shared file PATH [offset OFF] [at ADDR])`);
    expect(err('A = mmap Q 4K rw- private anon')).toBe(`s.aspace:3:10: process 'Q' is not defined; define it first with 'Q = exec PATH' or 'Q = fork P'`);
  });
  it('reserves heap, stack and killed as region names', () => {
    expect(err('heap = mmap P 4K rw- private anon')).toBe(`s.aspace:3:1: 'heap' cannot name a region: it is a reserved word ('heap', 'stack', 'killed' or 'failed')`);
    expect(err('killed = mmap P 4K rw- private anon')).toBe(`s.aspace:3:1: 'killed' cannot name a region: it is a reserved word ('heap', 'stack', 'killed' or 'failed')`);
    expect(diags('stack = exec x\nread stack stack')).toEqual([]);
  });
});

describe('read, write, exec', () => {
  it('parses the whole mapping, one byte at OFF, and OFF SIZE', () => {
    expect(stmt('read P R')).toEqual({
      kind: 'access', line: 3, text: 'read P R', column: 1, op: 'read',
      process: { name: 'P' }, target: { kind: 'region', name: 'R' },
    });
    expect(stmt('write P R 4K')).toEqual({
      kind: 'access', line: 3, text: 'write P R 4K', column: 1, op: 'write',
      process: { name: 'P' }, target: { kind: 'region', name: 'R' }, offset: 4096n,
    });
    expect(stmt('exec P R 0x10 2P')).toMatchObject({ op: 'exec', offset: 16n, size: 8192n });
    expect(stmt('read P R 0')).toMatchObject({ offset: 0n });
    expect(stmt('read P R 0').kind).toBe('access');
  });
  it('accepts heap, stack and addresses as targets', () => {
    expect(stmt('read P heap')).toMatchObject({ target: { kind: 'heap' } });
    expect(stmt('write P stack 0 8K')).toMatchObject({ target: { kind: 'stack' } });
    expect(stmt('exec P 0x7ffff7fc8000')).toMatchObject({ target: { kind: 'address', value: 0x7ffff7fc8000n } });
    expect(stmt('read P 0XFFFFFFFFFFFFFFFF')).toMatchObject({ target: { kind: 'address', value: (1n << 64n) - 1n } });
  });
  it('reports errors at the exact token', () => {
    expect(err('read')).toBe(`s.aspace:3:5: expected a process name, found end of line (usage: read P R [OFF [SIZE]])`);
    expect(err('read P')).toBe(`s.aspace:3:7: expected a region name, 'heap', 'stack' or an address 0x..., found end of line (usage: read P R [OFF [SIZE]])`);
    expect(err('read P S')).toBe(`s.aspace:3:8: region 'S' is not defined; define it first with 'S = mmap P SIZE PERMS ...', or use 'heap', 'stack' or an address 0x...`);
    expect(err('read P Heap')).toBe(`s.aspace:3:8: region 'Heap' is not defined (did you mean 'heap'?); define it first with 'Heap = mmap P SIZE PERMS ...', or use 'heap', 'stack' or an address 0x...`);
    expect(err('read P P')).toBe(`s.aspace:3:8: 'P' is a process (line 1), not a region; expected a region name, 'heap', 'stack' or an address 0x...`);
    expect(err('read P 0x')).toBe(`s.aspace:3:8: bad address '0x': no hex digits after '0x'`);
    expect(err('read P 0x12g')).toBe(`s.aspace:3:8: bad address '0x12g': 'g' is not a hex digit`);
    expect(err('read P 0x10000000000000000')).toBe(`s.aspace:3:8: address '0x10000000000000000' does not fit in 64 bits (the largest is 0xffffffffffffffff, 2^64 - 1)`);
    expect(err('read P 12')).toBe(`s.aspace:3:8: expected a region name, 'heap', 'stack' or an address 0x..., found '12'`);
    expect(err('read P R 0xzz')).toBe(`s.aspace:3:10: bad hex number '0xzz': 'z' is not a hex digit`);
    expect(err('write P R 0 0')).toBe(`s.aspace:3:13: write size must be greater than 0 (leave it out to write one byte at the offset)`);
    expect(err('read P R 0 4K 4K')).toBe(`s.aspace:3:15: unexpected '4K': expected end of line (usage: read P R [OFF [SIZE]])`);
    expect(err('exec P R 1 -4K')).toBe(`s.aspace:3:12: size '-4K' is negative; expected a decimal or 0x hex number with an optional suffix K, M, G or P`);
  });
  it('reports the leftmost problem of a line: an undefined process before a bad size', () => {
    expect(err('read X R 4Q')).toBe(`s.aspace:3:6: process 'X' is not defined; define it first with 'X = exec PATH' or 'X = fork P'`);
    expect(err('read X Y')).toBe(`s.aspace:3:6: process 'X' is not defined; define it first with 'X = exec PATH' or 'X = fork P'`);
  });
});

describe('munmap, mprotect, madvise, msync, brk, reclaim', () => {
  it('parses munmap with and without a range', () => {
    expect(stmt('munmap P R')).toEqual({ kind: 'munmap', line: 3, text: 'munmap P R', column: 1, process: { name: 'P' }, target: { kind: 'region', name: 'R' } });
    expect(stmt('munmap P R 4K 8K')).toMatchObject({ range: { offset: 4096n, size: 8192n } });
    expect(stmt('munmap P 0x7f0000001000')).toMatchObject({ target: { kind: 'address' } });
  });
  it('parses mprotect', () => {
    expect(stmt('mprotect P R r--')).toMatchObject({ kind: 'mprotect', perms: { text: 'r--', read: true, write: false } });
    expect(stmt('mprotect P R 0x1000 1P --x')).toMatchObject({ range: { offset: 4096n, size: 4096n }, perms: { execute: true, text: '--x' } });
    expect(stmt('mprotect P heap rw-')).not.toHaveProperty('range');
  });
  it('parses madvise with every advice (and free, MADV_FREE, as the oracle does)', () => {
    for (const advice of ['dontneed', 'pageout', 'cold', 'willneed', 'free']) {
      expect(stmt(`madvise P R ${advice}`)).toMatchObject({ kind: 'madvise', advice });
    }
    expect(stmt('madvise P R 8K 4K dontneed')).toMatchObject({ range: { offset: 8192n, size: 4096n }, advice: 'dontneed' });
  });
  it('parses msync, brk and reclaim', () => {
    expect(stmt('msync P R')).toEqual({ kind: 'msync', line: 3, text: 'msync P R', column: 1, process: { name: 'P' }, target: { kind: 'region', name: 'R' } });
    expect(stmt('msync P R 4K 8K')).toMatchObject({ kind: 'msync', range: { offset: 4096n, size: 8192n } });
    expect(stmt('brk P +64K')).toMatchObject({ kind: 'brk', delta: 65536n });
    expect(stmt('brk P -0x2P')).toMatchObject({ delta: -8192n });
    expect(stmt('brk P +0')).toMatchObject({ delta: 0n });
    expect(stmt('brk P + 4K')).toMatchObject({ delta: 4096n });
    expect(stmt('reclaim 1M')).toEqual({ kind: 'reclaim', line: 3, text: 'reclaim 1M', column: 1, size: 1048576n });
  });
  it('warns where the kernel would fail the call (EINVAL) or do nothing', () => {
    expect(err('munmap P R 4K')).toBe(`s.aspace:3:14: expected a size, found end of line (usage: munmap P R [OFF SIZE])`);
    expect(err('munmap P R 4K 0')).toBe(`s.aspace:3:15: warning: size 0: munmap of length 0 fails with EINVAL`);
    expect(err('munmap P R 100 4K')).toBe(`s.aspace:3:12: warning: munmap offset 100 (0x64) is not a multiple of the page size 4096: munmap fails with EINVAL`);
    expect(err('mprotect P R 2K 4K r--')).toBe(`s.aspace:3:14: warning: mprotect offset 2K (0x800) is not a multiple of the page size 4096: mprotect fails with EINVAL`);
    expect(err('msync P R 1 4K')).toBe(`s.aspace:3:11: warning: msync offset 1 (0x1) is not a multiple of the page size 4096: msync fails with EINVAL`);
    expect(err('madvise P 0x1000 0x10 4K cold')).toBe(`s.aspace:3:18: warning: madvise address 0x1010 is not page-aligned: madvise fails with EINVAL`);
    expect(stmt('madvise P 0x1800 0x800 4K cold')).toMatchObject({ range: { offset: 0x800n } });
    expect(diags(PRELUDE + 'mprotect P R 0 0 r--')).toEqual([`s.aspace:3:16: warning: size 0: mprotect does nothing`]);
    const r = parse(PRELUDE + 'munmap P R 100 0');
    expect(r.statements[2]).toMatchObject({ kind: 'munmap', range: { offset: 100n, size: 0n } });
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['warning', 'warning']);
    expect(err('reclaim 0')).toBe(`s.aspace:3:9: reclaim size must be greater than 0`);
    expect(err('reclaim')).toBe(`s.aspace:3:8: expected a size, found end of line (usage: reclaim SIZE)`);
  });
  it('reports bad permissions, advice and brk operands', () => {
    expect(err('mprotect P R')).toBe(`s.aspace:3:13: expected permissions (three characters r or -, w or -, x or -, such as 'rw-', 'r-x' or '---'), found end of line (usage: mprotect P R [OFF SIZE] PERMS)`);
    expect(err('mprotect P R 0 rw-')).toBe(`s.aspace:3:16: expected a size (a decimal or 0x hex number with an optional suffix K, M, G or P), found 'rw-'`);
    expect(err('mprotect P R 0 4K')).toBe(`s.aspace:3:18: expected permissions (three characters r or -, w or -, x or -, such as 'rw-', 'r-x' or '---'), found end of line (usage: mprotect P R [OFF SIZE] PERMS)`);
    expect(err('mprotect P R rwz')).toBe(`s.aspace:3:14: bad permissions 'rwz': expected three characters r or -, w or -, x or -, such as 'rw-', 'r-x' or '---'`);
    expect(err('madvise P R huge')).toBe(`s.aspace:3:13: unknown advice 'huge'; expected 'dontneed', 'pageout', 'cold', 'willneed', 'free', 'hugepage', 'nohugepage', 'dontfork', 'dofork', 'random', 'sequential' or 'normal'`);
    expect(err('madvise P R MADV_PAGEOUT')).toBe(`s.aspace:3:13: unknown advice 'MADV_PAGEOUT' (did you mean 'pageout'?); expected 'dontneed', 'pageout', 'cold', 'willneed', 'free', 'hugepage', 'nohugepage', 'dontfork', 'dofork', 'random', 'sequential' or 'normal'`);
    expect(err('madvise P R dontned')).toBe(`s.aspace:3:13: unknown advice 'dontned' (did you mean 'dontneed'?); expected 'dontneed', 'pageout', 'cold', 'willneed', 'free', 'hugepage', 'nohugepage', 'dontfork', 'dofork', 'random', 'sequential' or 'normal'`);
    expect(err('madvise P R cold x')).toBe(`s.aspace:3:18: unexpected 'x': expected end of line (usage: madvise P R [OFF SIZE] dontneed|pageout|cold|willneed|free|hugepage|nohugepage|dontfork|dofork|random|sequential|normal)`);
    expect(err('madvise P R 0 4K')).toBe(`s.aspace:3:17: expected 'dontneed', 'pageout', 'cold', 'willneed', 'free', 'hugepage', 'nohugepage', 'dontfork', 'dofork', 'random', 'sequential' or 'normal', found end of line (usage: madvise P R [OFF SIZE] dontneed|pageout|cold|willneed|free|hugepage|nohugepage|dontfork|dofork|random|sequential|normal)`);
    expect(err('msync P')).toBe(`s.aspace:3:8: expected a region name, 'heap', 'stack' or an address 0x..., found end of line (usage: msync P R [OFF SIZE])`);
    expect(err('msync P R 4K')).toBe(`s.aspace:3:13: expected a size, found end of line (usage: msync P R [OFF SIZE])`);
    expect(err('brk P 4K')).toBe(`s.aspace:3:7: expected '+SIZE' or '-SIZE' (the change of the program break, e.g. +64K), found '4K'`);
    expect(err('brk P +')).toBe(`s.aspace:3:7: expected a size after '+'`);
    expect(err('brk P +4Q')).toBe(`s.aspace:3:8: bad size '4Q': unknown suffix 'Q'; expected K, M, G or P`);
    expect(err('brk P')).toBe(`s.aspace:3:6: expected '+SIZE' or '-SIZE', found end of line (usage: brk P +SIZE|-SIZE)`);
    expect(err('brk P +4K 1')).toBe(`s.aspace:3:11: unexpected '1': expected end of line (usage: brk P +SIZE|-SIZE)`);
  });
});

describe('expect', () => {
  it('parses smaps and status fields', () => {
    expect(stmt('expect P R Rss=32K Pss=16K Swap=0')).toEqual({
      kind: 'expect', line: 3, text: 'expect P R Rss=32K Pss=16K Swap=0', column: 1,
      process: { name: 'P' }, target: { kind: 'region', name: 'R' },
      fields: [
        { field: 'Rss', source: 'smaps', value: 32768n },
        { field: 'Pss', source: 'smaps', value: 16384n },
        { field: 'Swap', source: 'smaps', value: 0n },
      ],
    });
  });
  it('accepts every smaps field and every size form', () => {
    const fields = ['Size', 'KernelPageSize', 'MMUPageSize', 'Rss', 'Pss', 'Pss_Dirty', 'Shared_Clean', 'Shared_Dirty', 'Private_Clean', 'Private_Dirty', 'Referenced', 'Anonymous', 'KSM', 'LazyFree', 'AnonHugePages', 'ShmemPmdMapped', 'FilePmdMapped', 'Shared_Hugetlb', 'Private_Hugetlb', 'Swap', 'SwapPss', 'Locked'];
    const s = stmt(`expect P heap ${fields.map((f) => `${f}=4K`).join(' ')}`);
    expect(s.kind === 'expect' && s.fields.map((f) => f.field)).toEqual(fields);
    expect(stmt('expect P R Rss=4096 Pss=32kB Swap=0x10P Size=1M Locked=0K')).toMatchObject({
      fields: [{ value: 4096n }, { value: 32768n }, { value: 65536n }, { value: 1048576n }, { value: 0n }],
    });
  });
  it('accepts the Vm*/Rss* lines of /proc/PID/status, read from status', () => {
    const fields = ['VmPeak', 'VmSize', 'VmLck', 'VmPin', 'VmHWM', 'VmRSS', 'RssAnon', 'RssFile', 'RssShmem', 'VmData', 'VmStk', 'VmExe', 'VmLib', 'VmPTE', 'VmSwap'];
    const s = stmt(`expect P R ${fields.map((f) => `${f}=4K`).join(' ')} Rss=4K`);
    expect(s.kind === 'expect' && s.fields.map((f) => [f.field, f.source])).toEqual([...fields.map((f) => [f, 'status']), ['Rss', 'smaps']]);
    expect(stmt('expect P R VmSwap=24K')).toMatchObject({ fields: [{ field: 'VmSwap', source: 'status', value: 24576n }] });
  });
  it('accepts blanks around = and a separate kB', () => {
    expect(stmt('expect P R Rss = 8K Pss= 4K Swap =0 Size=16 kB')).toMatchObject({
      fields: [
        { field: 'Rss', value: 8192n },
        { field: 'Pss', value: 4096n },
        { field: 'Swap', value: 0n },
        { field: 'Size', value: 16384n },
      ],
    });
  });
  it('targets heap, stack and addresses', () => {
    expect(stmt('expect P stack Rss=8K')).toMatchObject({ target: { kind: 'stack' } });
    expect(stmt('expect P 0x555555559000 Rss=8K')).toMatchObject({ target: { kind: 'address', value: 0x555555559000n } });
  });
  it('reads a bare expect P killed as SIGSEGV, as the oracle does', () => {
    expect(stmt('expect P killed')).toEqual({
      kind: 'expectKilled', line: 3, text: 'expect P killed', column: 1, process: { name: 'P' }, signal: 'SIGSEGV',
    });
  });
  it('parses expect P killed SIGNAL', () => {
    for (const signal of ['SIGSEGV', 'SIGBUS', 'SIGKILL']) {
      expect(stmt(`expect P killed ${signal}`)).toEqual({
        kind: 'expectKilled', line: 3, text: `expect P killed ${signal}`, column: 1,
        process: { name: 'P' }, signal,
      });
    }
  });
  it('reports bad fields, values and signals', () => {
    expect(err('expect P R')).toBe(`s.aspace:3:11: expected at least one FIELD=SIZE (e.g. Rss=32K), found end of line (usage: expect P R FIELD=SIZE..., expect P killed SIGSEGV|SIGBUS|SIGKILL, expect R failed ERRNO or expect failed ERRNO)`);
    expect(err('expect P Rss=4K')).toBe(`s.aspace:3:10: expected a region name, 'heap', 'stack' or an address 0x... before 'Rss=4K'`);
    expect(err('expect P R rss=4K')).toMatch(/^s\.aspace:3:12: unknown field 'rss' \(did you mean 'Rss'\?\); expected an smaps field \(Size, KernelPageSize, .*, SwapPss, Locked\) or a status field \(VmPeak, .*, VmSwap\)$/);
    expect(err('expect P R Pss_dirty=4K')).toMatch(/^s\.aspace:3:12: unknown field 'Pss_dirty' \(did you mean 'Pss_Dirty'\?\)/);
    expect(err('expect P R VmRss=4K')).toMatch(/^s\.aspace:3:12: unknown field 'VmRss' \(did you mean 'VmRSS'\?\)/);
    expect(err('expect P R Foo=4K')).toMatch(/^s\.aspace:3:12: unknown field 'Foo'; expected an smaps field \(Size, /);
    expect(err('expect P R Rss=100')).toBe(`s.aspace:3:16: Rss=100: smaps counts whole kB, and a value without a suffix is in bytes, so it must be a multiple of 1024 (did you mean 100K?)`);
    expect(err('expect P R Rss=4K Pss=1X')).toBe(`s.aspace:3:23: Pss: bad size '1X': unknown suffix 'X'; expected K, M, G or P`);
    expect(err('expect P R Rss=')).toBe(`s.aspace:3:16: expected a size after 'Rss=' (e.g. Rss=32K)`);
    expect(err('expect P R =4K')).toBe(`s.aspace:3:12: expected a field name before '=' (e.g. Rss=32K)`);
    expect(err('expect P R Rss 4K')).toBe(`s.aspace:3:12: expected FIELD=SIZE (e.g. Rss=32K), found 'Rss'`);
    expect(err('expect P R Rss=99999999999999999999G')).toBe(`s.aspace:3:16: Rss: size '99999999999999999999G' does not fit in 64 bits (the largest is 0xffffffffffffffff, 2^64 - 1)`);
    expect(err('expect P killed segv')).toBe(`s.aspace:3:17: unknown signal 'segv' (did you mean 'SIGSEGV'?); expected 'SIGSEGV', 'SIGBUS' or 'SIGKILL'`);
    expect(err('expect P killed SIGTERM')).toBe(`s.aspace:3:17: unknown signal 'SIGTERM'; expected 'SIGSEGV', 'SIGBUS' or 'SIGKILL'`);
    expect(err('expect P killed SIGSEGV now')).toBe(`s.aspace:3:25: unexpected 'now': expected end of line (usage: expect P R FIELD=SIZE..., expect P killed SIGSEGV|SIGBUS|SIGKILL, expect R failed ERRNO or expect failed ERRNO)`);
  });
  it('warns when a field is expected twice', () => {
    expect(diags(PRELUDE + 'expect P R Rss=4K Rss=8K')).toEqual([`s.aspace:3:19: warning: Rss is already expected in this statement (column 12)`]);
  });
  it('can expect a killed process; after exit it warns', () => {
    expect(diags(PRELUDE + 'write P R\nexpect P killed SIGSEGV\nexit P\nexpect P killed SIGSEGV')).toEqual([
      `s.aspace:6:8: warning: process 'P' exited at line 5: this statement acts on a dead process`,
    ]);
  });
});

describe('show', () => {
  it('parses every form', () => {
    for (const what of ['maps', 'rollup', 'status']) {
      expect(stmt(`show ${what} P`)).toEqual({
        kind: 'show', line: 3, text: `show ${what} P`, column: 1, what, process: { name: 'P' },
      });
    }
    const smaps = stmt('show smaps P');
    expect(smaps).toMatchObject({ what: 'smaps' });
    expect(smaps).not.toHaveProperty('target');
    expect(stmt('show smaps P R')).toMatchObject({ what: 'smaps', target: { kind: 'region', name: 'R' } });
    expect(stmt('show pagetable P R')).toMatchObject({ what: 'pagetable', target: { kind: 'region', name: 'R' } });
    expect(stmt('show pagetable P R')).not.toHaveProperty('offset');
    expect(stmt('show pagetable P stack 0x10')).toMatchObject({ target: { kind: 'stack' }, offset: 16n });
  });
  it('reports errors', () => {
    expect(err('show')).toBe(`s.aspace:3:5: expected 'maps', 'smaps', 'rollup', 'status', 'pagetable' or 'meminfo', found end of line (usage: show maps P, show smaps P [R], show rollup P, show status P, show pagetable P R [OFF], show meminfo)`);
    expect(err('show map P')).toBe(`s.aspace:3:6: expected 'maps', 'smaps', 'rollup', 'status', 'pagetable' or 'meminfo' after 'show', found 'map' (did you mean 'maps'?)`);
    expect(err('show maps')).toBe(`s.aspace:3:10: expected a process name, found end of line (usage: show maps P)`);
    expect(err('show maps P R')).toBe(`s.aspace:3:13: unexpected 'R': expected end of line (usage: show maps P)`);
    expect(err('show smaps P R 4K')).toBe(`s.aspace:3:16: unexpected '4K': expected end of line (usage: show smaps P [R])`);
    expect(err('show pagetable P')).toBe(`s.aspace:3:17: expected a region name, 'heap', 'stack' or an address 0x..., found end of line (usage: show pagetable P R [OFF])`);
    expect(err('show pagetable P R 1 2')).toBe(`s.aspace:3:22: unexpected '2': expected end of line (usage: show pagetable P R [OFF])`);
    expect(err('show status X')).toBe(`s.aspace:3:13: process 'X' is not defined; define it first with 'X = exec PATH' or 'X = fork P'`);
  });
});

describe('whole files', () => {
  it('parses a complete scenario with comments, blank lines, CRLF and a BOM', () => {
    const text = [
      '\uFEFF# Copy-on-write after fork',
      'set aslr off',
      'set ram 64M    # plenty',
      '',
      'P = exec ../examples/hello/hello',
      'buf = mmap P 8P rw- private anon',
      'write P buf',
      'Q = fork P',
      '\twrite Q buf 0 4K\t# one page copied',
      'expect P buf Rss=32K Pss=16K Swap=0',
      'expect Q buf Rss=32K Pss=16K',
      'show smaps Q buf',
      'exit Q',
      '',
    ].join('\r\n');
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.statements.map((s) => [s.line, s.kind, s.text])).toEqual([
      [2, 'set', 'set aslr off'],
      [3, 'set', 'set ram 64M'],
      [5, 'exec', 'P = exec ../examples/hello/hello'],
      [6, 'mmap', 'buf = mmap P 8P rw- private anon'],
      [7, 'access', 'write P buf'],
      [8, 'fork', 'Q = fork P'],
      [9, 'access', 'write Q buf 0 4K'],
      [10, 'expect', 'expect P buf Rss=32K Pss=16K Swap=0'],
      [11, 'expect', 'expect Q buf Rss=32K Pss=16K'],
      [12, 'show', 'show smaps Q buf'],
      [13, 'exit', 'exit Q'],
    ]);
    expect(r.statements[6]).toMatchObject({ line: 9, column: 2, process: { name: 'Q' } });
  });
  it('handles a file with a lone trailing \\r, no final newline, or nothing at all', () => {
    expect(parse('P = exec x\r').statements[0]).toMatchObject({ text: 'P = exec x', path: { text: 'x' } });
    expect(parse('P = exec x\rexit P').statements.map((s) => s.line)).toEqual([1, 2]);
    expect(parse('')).toEqual({ statements: [], diagnostics: [] });
    expect(parse('\uFEFF')).toEqual({ statements: [], diagnostics: [] });
    expect(parse('  \t\n# just comments\n   # more\n')).toEqual({ statements: [], diagnostics: [] });
  });
  it('collects every error, one per line, and goes on with the next line', () => {
    const text = 'P = exec x\nfoo\nread P R\nR = mmap P 4K rw- privat anon\nread P R 0 4K 9 9\nset aslr\nexit P';
    expect(diags(text)).toEqual([
      `s.aspace:2:1: unknown statement 'foo'; expected 'NAME = exec|fork|mmap|thread ...' or one of 'set', 'exit', 'read', 'write', 'munmap', 'mprotect', 'madvise', 'msync', 'mlock', 'munlock', 'mremap', 'brk', 'reclaim', 'dlopen', 'expect' or 'show'`,
      `s.aspace:3:8: region 'R' is not defined; define it first with 'R = mmap P SIZE PERMS ...', or use 'heap', 'stack' or an address 0x...`,
      `s.aspace:4:19: expected 'private' or 'shared', found 'privat' (did you mean 'private'?)`,
      `s.aspace:5:15: unexpected '9': expected end of line (usage: read P R [OFF [SIZE]])`,
      `s.aspace:6:9: expected 'off', 'on' or 'full', found end of line (usage: set aslr off|on|full, set seed N, set ram SIZE, set swap SIZE, set exec start|entry, set pkeys on|off, set thp always|madvise|never, set fault_around SIZE, set layout …, set overcommit 0|1|2, set overcommit_ratio N, set overcommit_kbytes N, set max_map_count N, set rlimit P as|data|stack|memlock SIZE|unlimited, set oom_score_adj P N)`,
    ]);
    const r = parse(text);
    expect(r.statements.map((s) => s.line)).toEqual([1, 3, 7]);
  });
  it('suggests statements for typos', () => {
    expect(diags('reed P R')[0]).toBe(`s.aspace:1:1: unknown statement 'reed' (did you mean 'read'?); expected 'NAME = exec|fork|mmap|thread ...' or one of 'set', 'exit', 'read', 'write', 'munmap', 'mprotect', 'madvise', 'msync', 'mlock', 'munlock', 'mremap', 'brk', 'reclaim', 'dlopen', 'expect' or 'show'`);
    expect(diags('mmap P 4K rw- private anon')[0]).toBe(`s.aspace:1:1: unknown statement 'mmap' (did you mean 'NAME = mmap ...'?); expected 'NAME = exec|fork|mmap|thread ...' or one of 'set', 'exit', 'read', 'write', 'munmap', 'mprotect', 'madvise', 'msync', 'mlock', 'munlock', 'mremap', 'brk', 'reclaim', 'dlopen', 'expect' or 'show'`);
    expect(diags('READ P R')[0]).toMatch(/^s\.aspace:1:1: unknown statement 'READ' \(did you mean 'read'\?\)/);
  });
  it('counts columns after tabs and a BOM as an editor does', () => {
    expect(diags('\uFEFF\tread\tX R')).toEqual([`s.aspace:1:7: process 'X' is not defined; define it first with 'X = exec PATH' or 'X = fork P'`]);
  });
  it('gives every diagnostic a span within its line', () => {
    const text = 'P = exec x\nR = mmap P 4K rw- private anon\nread P R 1X\nexpect P R Rss=3\nmunmap P R 1 4K\nshow pagetable Q R';
    for (const d of parse(text).diagnostics) {
      const line = text.split('\n')[d.span.line - 1] ?? '';
      expect(d.span.column).toBeGreaterThanOrEqual(1);
      expect(d.span.endColumn).toBeGreaterThan(d.span.column);
      expect(d.span.column).toBeLessThanOrEqual(line.length + 1);
    }
  });
  it('never throws, whatever the input', () => {
    const junk = ['=', '= = =', 'P = = =', '#', '\u0000', 'P=', '=P', 'expect', 'expect P', 'P = mmap', 'brk P -', 'x'.repeat(10000), '😀 = exec x', 'show pagetable P 0x', 'expect P R Rss==4K'];
    for (const line of junk) {
      expect(() => parse(PRELUDE + line)).not.toThrow();
      expect(parse(PRELUDE + line).diagnostics.filter((d) => d.severity === 'error').length).toBeLessThanOrEqual(1);
    }
  });
});

describe('isName', () => {
  it('follows [A-Za-z_][A-Za-z0-9_-]*', () => {
    for (const name of ['P', '_', 'a-b', 'buf_2', 'x-1-y', 'A9']) expect(isName(name)).toBe(true);
    for (const name of ['', '1a', '-a', 'a.b', 'a b', 'é', 'a=b', 'a#']) expect(isName(name)).toBe(false);
  });
});

describe('the oracle scenarios (test/oracle/scenarios)', () => {
  it('all parse without a diagnostic', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../../../oracle/scenarios/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.aspace'));
    for (const file of files) {
      const r = parseScenario(readFileSync(new URL(file, dir), 'utf8'), file);
      expect(r.diagnostics.map((d) => formatDiagnostic(file, d))).toEqual([]);
      expect(r.statements.length).toBeGreaterThan(0);
    }
  });
});

describe('docs/scenario-language.md', () => {
  it('has an example scenario that parses without a diagnostic', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../../../docs/scenario-language.md', import.meta.url), 'utf8');
    const example = /```text\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const r = parse(example);
    expect(r.diagnostics).toEqual([]);
    expect(r.statements.length).toBeGreaterThan(10);
    expect(r.statements.find((s) => s.kind === 'show')).toMatchObject({ line: 14, text: 'show smaps Q buf' });
  });
});
