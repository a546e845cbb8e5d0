// Checks of the host's replies, field by field for everything the webview reads.
import type { ElfSummary, LayoutResult, RegionView, SymbolPage, SymbolRow } from './view-models';
import { ASLR_MODES, REGION_OWNERS } from './view-models';
import { array, boolean, decimal64, hex, integer, nullable, oneOf, ProtocolError, record, string, type Fields } from './validate';

function fields(value: unknown, what: string, strings: readonly string[], hexes: readonly string[] = [], integers: readonly string[] = []): Fields {
  const o = record(value, what);
  for (const k of strings) string(o[k], `${what}.${k}`);
  for (const k of hexes) hex(o[k], `${what}.${k}`);
  for (const k of integers) integer(o[k], `${what}.${k}`, 0, 2 ** 53);
  return o;
}

export function checkElfSummary(value: unknown): ElfSummary {
  const s = fields(value, 'summary', ['file'], [], ['fileSize']);
  fields(s.header, 'summary.header', ['class', 'data', 'osabiName', 'typeName', 'machineName', 'magic'], ['entry', 'flags'], ['type', 'machine', 'phnum', 'shnum']);
  array(s.programHeaders, 'summary.programHeaders', (p, w) => fields(p, w, ['typeName', 'flagsText'], ['offset', 'vaddr', 'filesz', 'memsz', 'align'], ['index', 'type', 'flags']));
  nullable(s.interpreter, 'summary.interpreter', (v, w) => string(v, w, 4096));
  array(s.sections, 'summary.sections', (x, w) => fields(x, w, ['name', 'typeName', 'flagLetters'], ['addr', 'offset', 'size', 'flags'], ['index', 'type']));
  array(s.segmentSectionIndices, 'summary.segmentSectionIndices', (x, w) => array(x, w, (i, wi) => integer(i, wi)));
  nullable(s.dynamic, 'summary.dynamic', (d, w) => {
    const o = fields(d, w, [], ['offset']);
    return array(o.entries, `${w}.entries`, (e, we) => fields(e, we, ['tagName', 'text'], ['tag', 'value']));
  });
  array(s.notes, 'summary.notes', (a, w) => {
    const o = record(a, w);
    nullable(o.section, `${w}.section`, string);
    return array(o.notes, `${w}.notes`, (n, wn) => fields(n, wn, ['owner', 'typeName', 'summary'], [], ['dataSize', 'type']));
  });
  array(s.symbolTables, 'summary.symbolTables', (t, w) => fields(t, w, ['name'], [], ['count']), 64);
  array(s.warnings, 'summary.warnings', (x, w) => fields(x, w, ['field', 'problem', 'message'], [], ['offset']), 1024);
  return value as ElfSummary;
}

function checkRegion(value: unknown, what: string): RegionView {
  const r = fields(value, what, ['line', 'range', 'perms', 'offset', 'device', 'inode', 'name', 'description'], ['start', 'end']);
  oneOf(r.owner, REGION_OWNERS, `${what}.owner`);
  nullable(r.linkStart, `${what}.linkStart`, hex);
  nullable(r.linkEnd, `${what}.linkEnd`, hex);
  return value as RegionView;
}

export function checkLayoutResult(value: unknown): LayoutResult {
  const l = record(value, 'layout');
  if (l.kind === 'not-executable') {
    string(l.reason, 'layout.reason');
    return value as LayoutResult;
  }
  if (l.kind !== 'layout') throw new ProtocolError('layout.kind must be "layout" or "not-executable"');
  oneOf(l.aslr, ASLR_MODES, 'layout.aslr');
  decimal64(l.seed, 'layout.seed');
  array(l.regions, 'layout.regions', checkRegion, 1 << 16);
  hex(l.loadBias, 'layout.loadBias');
  hex(l.entry, 'layout.entry');
  nullable(l.interpreter, 'layout.interpreter', (i, w) => {
    const o = fields(i, w, ['requested', 'lookedUp']);
    return boolean(o.found, `${w}.found`);
  });
  nullable(l.incomplete, 'layout.incomplete', string);
  return value as LayoutResult;
}

function checkSymbolRow(value: unknown, what: string): SymbolRow {
  const r = fields(value, what, ['type', 'bind', 'visibility', 'name'], ['value', 'size'], ['index']);
  if (typeof r.ndx !== 'number') string(r.ndx, `${what}.ndx`, 16);
  return value as SymbolRow;
}

export function checkSymbolPage(value: unknown): SymbolPage {
  const p = fields(value, 'symbols', [], [], ['table', 'total', 'offset']);
  array(p.rows, 'symbols.rows', checkSymbolRow, 1000);
  return value as SymbolPage;
}
