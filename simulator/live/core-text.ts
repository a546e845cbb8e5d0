// The core summary `asx elf CORE` prints after the readelf-like part (and the extension may show).
import type { CoreAddress, CoreDump } from './core-types';

/** "0x… in START-END PERMS NAME (+OFFSET)", or "(in no mapping)". */
export function describeCoreAddress(dump: CoreDump, a: CoreAddress): string {
  const r = a.region === undefined ? undefined : dump.regions[a.region];
  if (!r) return `${a.address} (in no mapping)`;
  const label = r.path ?? r.name ?? 'anonymous';
  return `${a.address} in ${r.start}-${r.end} ${r.perms} ${label} (+0x${(BigInt(a.address) - BigInt(r.start)).toString(16)})`;
}

/** The text `asx elf CORE` prints after the readelf-like part. */
export function coreSummaryText(dump: CoreDump): string {
  const lines = ['', `Core file (${dump.machine}, written by ${dump.producer === 'gdb' ? 'gdb gcore' : dump.producer}):`];
  const p = dump.process;
  if (p) {
    lines.push(`  Process: pid ${p.pid}, ppid ${p.ppid}, pgrp ${p.pgrp}, sid ${p.sid}, uid ${p.uid}, gid ${p.gid}, state ${p.state}`);
    lines.push(`  Command: ${p.fname}`, `  Command line: ${p.psargs}`);
  }
  if (dump.executable) lines.push(`  Executable: ${dump.executable}`);
  if (dump.kernelVersion) lines.push(`  Kernel: Linux ${dump.kernelVersion} (the vDSO's version note)`);
  const s = dump.signal;
  if (s) lines.push(`  Signal: ${s.signo} (${s.name}), code ${s.code}${s.codeName ? ` (${s.codeName})` : ''}${s.errno ? `, errno ${s.errno}` : ''}${s.addr !== undefined ? `, address ${s.addr}` : ''}`);
  if (dump.crash) lines.push(`  Instruction pointer: ${describeCoreAddress(dump, dump.crash)}`);
  if (dump.faultAddress) lines.push(`  Fault address: ${describeCoreAddress(dump, dump.faultAddress)}`);
  lines.push(`  Regions: ${dump.regions.length}`);
  for (const t of dump.threads) {
    lines.push(`  Thread ${t.tid}${t.signal ? ` (signal ${t.signal})` : ''}:`);
    const names = Object.keys(t.registers);
    for (let i = 0; i < names.length; i += 4) {
      lines.push(`    ${names.slice(i, i + 4).map((n) => `${n.padEnd(9)} ${(t.registers[n] ?? '').padStart(18)}`).join('  ')}`);
    }
  }
  for (const w of dump.warnings) lines.push(`  Warning: ${w}`);
  return lines.join('\n') + '\n';
}
