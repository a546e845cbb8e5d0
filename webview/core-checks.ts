// Checks of the Core tab's model (a core file in the ELF view): each returns the value typed, or throws.
import type { CoreAddressView, CoreThreadView, CoreView } from './core-view-model';
import { array, hex, integer, nullable, record, string } from './validate';

const TEXT = 4096;
const text = (v: unknown, what: string) => string(v, what, TEXT);

function checkAddress(v: unknown, what: string): CoreAddressView {
  const a = record(v, what);
  return { address: hex(a.address, `${what}.address`), region: nullable(a.region, `${what}.region`, (x, w) => integer(x, w, 0, 1 << 24)), where: text(a.where, `${what}.where`) };
}

function checkThread(v: unknown, what: string): CoreThreadView {
  const t = record(v, what);
  return {
    tid: integer(t.tid, `${what}.tid`, 0, 2 ** 32),
    signal: integer(t.signal, `${what}.signal`, 0, 1024),
    registers: array(t.registers, `${what}.registers`, (x, w) => {
      const pair = array(x, w, (y, u) => string(y, u, 32), 2);
      return [pair[0] ?? '', hex(pair[1], `${w}[1]`)] as const;
    }, 64),
  };
}

export function checkCoreView(v: unknown): CoreView {
  const c = record(v, 'core');
  const optionalText = (x: unknown, w: string) => nullable(x, w, text);
  return {
    machine: string(c.machine, 'core.machine', 32),
    producer: string(c.producer, 'core.producer', 64),
    pid: nullable(c.pid, 'core.pid', (x, w) => integer(x, w, 0, 2 ** 32)),
    command: optionalText(c.command, 'core.command'),
    commandLine: optionalText(c.commandLine, 'core.commandLine'),
    executable: optionalText(c.executable, 'core.executable'),
    signal: optionalText(c.signal, 'core.signal'),
    crash: nullable(c.crash, 'core.crash', checkAddress),
    faultAddress: nullable(c.faultAddress, 'core.faultAddress', checkAddress),
    threads: array(c.threads, 'core.threads', checkThread, 1 << 16),
    notes: array(c.notes, 'core.notes', text, 64),
    warnings: array(c.warnings, 'core.warnings', text, 256),
  };
}
