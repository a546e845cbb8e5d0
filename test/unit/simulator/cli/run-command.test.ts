// asx run: output format and the three exit statuses of the contract.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';
import { pkeysFromCpuinfo, zeroPageForbiddenByCmdline } from '../../../../simulator/scenario/host-cpu';
import { REPO_ROOT } from '../../../support/exec-layout';
import { HOST_PKEYS } from '../../../support/scenarios';

async function asx(...argv: string[]) {
  let out = '';
  let err = '';
  const status = await main(argv, { write: (t) => (out += t) }, { write: (t) => (err += t) });
  return { status, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'asx-run-'));
const scenario = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
// A static program: exec maps no libraries, so the scenario's mapping stands alone.
const hello = resolve(REPO_ROOT, 'test/fixtures/elf/bin/static');

describe('asx run', () => {
  it('prints each show with its header and exits 0 when every expect holds', async () => {
    const path = scenario('ok.aspace', `P = exec ${hello}\nA = mmap P 8K rw- private anon\nwrite P A\nshow smaps P A   # two pages\nexpect P A Rss=8K\n`);
    const { status, out, err } = await asx('run', path);
    expect(err).toBe('');
    expect(status).toBe(0);
    expect(out.split('\n')[0]).toBe('# 4: show smaps P A');
    expect(out).toContain('Rss:                   8 kB\n');
  });

  it('prints ProtectionKey as this CPU would (--pkeys host), or as --pkeys and set pkeys say', async () => {
    const text = `P = exec ${hello}\nA = mmap P 4K rw- private anon\nshow smaps P A\n`;
    const path = scenario('pkeys.aspace', text);
    const keyLine = 'ProtectionKey:         0\n';
    expect((await asx('run', path)).out.includes(keyLine)).toBe(HOST_PKEYS);
    expect((await asx('run', path, '--pkeys', 'on')).out).toContain(keyLine);
    expect((await asx('run', path, '--pkeys', 'off')).out).not.toContain('ProtectionKey');
    expect((await asx('run', scenario('pkeys-off.aspace', `set pkeys off\n${text}`), '--pkeys', 'on')).out).not.toContain('ProtectionKey');
    expect((await asx('run', scenario('pkeys-on.aspace', `set pkeys on\n${text}`), '--pkeys', 'off')).out).toContain(keyLine);
    expect(await asx('run', path, '--pkeys', 'maybe')).toMatchObject({ status: 2, err: `asx: --pkeys takes on, off or host, not 'maybe' (see 'asx help')\n` });
  });

  it('reads the CPU\'s protection keys from the ospke flag of /proc/cpuinfo', () => {
    expect(pkeysFromCpuinfo('processor\t: 0\nflags\t\t: fpu vme pku ospke avx512f\n')).toBe(true);
    expect(pkeysFromCpuinfo('processor\t: 0\nflags\t\t: fpu vme pku avx2\n')).toBe(false);
    expect(pkeysFromCpuinfo('')).toBe(false);
  });

  it('maps the zero page on read faults unless --zero-page off (a kernel with mm_forbids_zeropage) says otherwise', async () => {
    const path = scenario('zero.aspace', `P = exec ${hello}\nA = mmap P 16K rw- private anon\nB = mmap P 8K r-- private anon\nread P A\nread P B\nexpect P A Rss=0\n`);
    expect((await asx('run', path, '--zero-page', 'on')).status).toBe(0);
    const off = await asx('run', path, '--zero-page', 'off');
    expect(off.err).toBe(`${path}:6: expected Rss=0 for P A, got 16K\n`);
    const forbidden = scenario('forbidden.aspace', `P = exec ${hello}\nA = mmap P 16K rw- private anon\nB = mmap P 8K r-- private anon\nread P A\nread P B\nexpect P A Private_Dirty=16K\nexpect P B Private_Clean=8K Anonymous=8K\n`);
    expect((await asx('run', forbidden, '--zero-page', 'off')).status).toBe(0);
    expect(await asx('run', path, '--zero-page', 'maybe')).toMatchObject({ status: 2, err: `asx: --zero-page takes on, off or host, not 'maybe' (see 'asx help')\n` });
  });

  it('reads a PVM guest\'s pvm_no_zero_page=1 from /proc/cmdline', () => {
    expect(zeroPageForbiddenByCmdline('console=ttyS0 pvm_no_zero_page=1 tsc=unstable\n')).toBe(true);
    expect(zeroPageForbiddenByCmdline('console=ttyS0 pvm_no_zero_page=0\n')).toBe(false);
    expect(zeroPageForbiddenByCmdline('')).toBe(false);
  });

  it('exits 1 and names the line when an expect fails', async () => {
    const path = scenario('fail.aspace', `P = exec ${hello}\nA = mmap P 8K rw- private anon\nexpect P A Rss=8K\n`);
    const { status, err } = await asx('run', path);
    expect(status).toBe(1);
    expect(err).toBe(`${path}:3: expected Rss=8K for P A, got 0\n`);
  });

  it('exits 2 with file:line:column for a scenario that cannot run', async () => {
    const bad = scenario('bad.aspace', 'P = exec x\nA = mmap P 8K rw- privat anon\n');
    const parsed = await asx('run', bad);
    expect(parsed.status).toBe(2);
    expect(parsed.err).toMatch(new RegExp(`^${bad}:2:19: .*'privat'`));
    const missing = scenario('missing.aspace', 'P = exec no/such/program\n');
    const run = await asx('run', missing);
    expect(run.status).toBe(2);
    expect(run.err).toBe(`${missing}:1:10: cannot exec no/such/program: No such file or directory (ENOENT)\n`);
  });

  it('says in one line that a program or binary data is not a scenario, and writes no control character to the terminal', async () => {
    const elf = await asx('run', hello);
    expect(elf.status).toBe(2);
    expect(elf.err).toBe(`${hello}:1:1: this is an ELF file, not a scenario: \`asx maps FILE\` shows the address space the kernel gives it and \`asx elf FILE\` its headers; in VS Code, open it to see both\n`);
    const binary = scenario('binary.aspace', 'P = exec x\n\x01\x02\x00\x03\n'.repeat(50));
    expect((await asx('run', binary)).err).toBe(`${binary}:2:3: a NUL byte: this is binary data, not a scenario (a scenario is a text file)\n`);
    const escapes = scenario('escapes.aspace', `P = exec ${hello}\nread P \x1b]0;title\x07\n`);
    const run = await asx('run', escapes);
    expect(run.status).toBe(2);
    expect(run.err).toContain(`found '\\x1b]0;title\\x07'`);
    // No control character but the newlines that end the lines.
    expect([...run.err].filter((c) => c !== '\n' && (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))).toEqual([]);
  });

  it('prints its version with --version', async () => {
    const { version } = JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await asx('--version')).toEqual({ status: 0, out: `asx ${version}\n`, err: '' });
    expect((await asx('version')).out).toBe(`asx ${version}\n`);
  });

  it('prints JSON with --json', async () => {
    const path = scenario('json.aspace', `P = exec ${hello}\nshow status P\n`);
    const { status, out } = await asx('run', path, '--json');
    expect(status).toBe(0);
    const doc = JSON.parse(out) as { shows: { line: number; statement: string; output: string }[] };
    expect(doc.shows[0]?.statement).toBe('show status P');
    expect(doc.shows[0]?.output).toMatch(/^VmPeak:\t +\d+ kB\n/);
  });
});
