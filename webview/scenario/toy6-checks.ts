// Checks of the toy6 view the host sends with a toy6 scenario's status (the webview trusts nothing).
import type { Toy6EntryView, Toy6FrameView, Toy6ProcessView, Toy6View, Toy6WalkView } from '../../simulator/toy6/view';
import { array, boolean, integer, nullable, oneOf, record, string } from '../validate';

const MAX_NAME = 64;
const cell = (v: unknown, what: string) => integer(v, what, 0, 63);
const name = (v: unknown, what: string) => string(v, what, MAX_NAME);

function checkEntry(v: unknown, what: string): Toy6EntryView {
  const e = record(v, what);
  return {
    address: cell(e.address, `${what}.address`), pte: cell(e.pte, `${what}.pte`), frame: integer(e.frame, `${what}.frame`, 0, 7),
    u: boolean(e.u, `${what}.u`), w: boolean(e.w, `${what}.w`), p: boolean(e.p, `${what}.p`),
    pokeLine: nullable(e.pokeLine, `${what}.pokeLine`, (x, w) => integer(x, w, 1, 1 << 24)),
  };
}

function checkProcess(v: unknown, what: string): Toy6ProcessView {
  const p = record(v, what);
  return { name: name(p.name, `${what}.name`), cr3: cell(p.cr3, `${what}.cr3`), entries: array(p.entries, `${what}.entries`, checkEntry, 8) };
}

function checkFrame(v: unknown, what: string): Toy6FrameView {
  const f = record(v, what);
  return { tableOf: array(f.tableOf, `${what}.tableOf`, name, 4096), mappedBy: array(f.mappedBy, `${what}.mappedBy`, (x, w) => string(x, w, MAX_NAME + 4), 1 << 15) };
}

function checkWalk(v: unknown, what: string): Toy6WalkView {
  const w = record(v, what);
  return {
    process: name(w.process, `${what}.process`), kind: oneOf(w.kind, ['read', 'write'], `${what}.kind`), privilege: oneOf(w.privilege, ['user', 'kernel'], `${what}.privilege`),
    va: cell(w.va, `${what}.va`), page: integer(w.page, `${what}.page`, 0, 7), offset: integer(w.offset, `${what}.offset`, 0, 7), cr3: cell(w.cr3, `${what}.cr3`),
    pteAddress: cell(w.pteAddress, `${what}.pteAddress`), pte: cell(w.pte, `${what}.pte`), fault: nullable(w.fault, `${what}.fault`, (x, y) => oneOf(x, ['P', 'U', 'W'], y)),
    pa: cell(w.pa, `${what}.pa`), statement: oneOf(w.statement, ['read', 'write', 'expect', 'show'], `${what}.statement`),
  };
}

export function checkToy6View(v: unknown, what = 'status.toy6'): Toy6View {
  const t = record(v, what);
  return {
    cells: array(t.cells, `${what}.cells`, cell, 64),
    frames: array(t.frames, `${what}.frames`, checkFrame, 8),
    processes: array(t.processes, `${what}.processes`, checkProcess, 16),
    moreProcesses: integer(t.moreProcesses, `${what}.moreProcesses`),
    walk: nullable(t.walk, `${what}.walk`, checkWalk),
  };
}
