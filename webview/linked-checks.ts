// Checks of the host's reply to 'linked' (the dependency tree and the layout at entry), field by field.
import { array, decimal64, hex, integer, oneOf, ProtocolError, record, string } from './validate';
import { ASLR_MODES, LINKED_OBJECT_KINDS, type LinkedNode, type LinkedResult } from './view-models';

const MAX_OBJECTS = 4096;
const MAX_TREE_NODES = 1 << 16;
/** A DT_NEEDED chain deeper than this is not a real program. */
const MAX_TREE_DEPTH = 256;

function strings(o: Readonly<Record<string, unknown>>, what: string, keys: readonly string[]): void {
  for (const k of keys) string(o[k], `${what}.${k}`, 4096);
}

function checkNode(value: unknown, what: string, objects: number, budget: { nodes: number }, depth: number): LinkedNode {
  if (depth > MAX_TREE_DEPTH) throw new ProtocolError(`${what} is nested more than ${MAX_TREE_DEPTH} deep`);
  if (--budget.nodes < 0) throw new ProtocolError(`the tree has more than ${MAX_TREE_NODES} nodes`);
  const n = record(value, what);
  integer(n.object, `${what}.object`, 0, objects - 1);
  string(n.needed, `${what}.needed`, 4096);
  if (typeof n.duplicate !== 'boolean') throw new ProtocolError(`${what}.duplicate must be true or false`);
  array(n.children, `${what}.children`, (c, w) => checkNode(c, w, objects, budget, depth + 1), MAX_OBJECTS);
  return value as LinkedNode;
}

/** Webview side: the result of 'linked', checked. */
export function checkLinkedResult(value: unknown): LinkedResult {
  const l = record(value, 'linked');
  if (l.kind === 'static' || l.kind === 'not-executable' || l.kind === 'error') {
    string(l.message, 'linked.message', 1 << 16);
    array(l.searched, 'linked.searched', (s, w) => string(s, w, 4096), MAX_OBJECTS);
    return value as LinkedResult;
  }
  if (l.kind !== 'linked') throw new ProtocolError('linked.kind must be "linked", "static", "not-executable" or "error"');
  oneOf(l.aslr, ASLR_MODES, 'linked.aslr');
  decimal64(l.seed, 'linked.seed');
  string(l.ldLibraryPath, 'linked.ldLibraryPath', 1 << 16);
  const objects = array(l.objects, 'linked.objects', (o, w) => {
    const x = record(o, w);
    strings(x, w, ['name', 'path', 'mapsPath', 'foundVia']);
    oneOf(x.kind, LINKED_OBJECT_KINDS, `${w}.kind`);
    for (const k of ['lAddr', 'mapStart', 'mapEnd']) hex(x[k], `${w}.${k}`);
    return x;
  }, MAX_OBJECTS);
  if (objects.length === 0) throw new ProtocolError('linked.objects must hold the program');
  checkNode(l.tree, 'linked.tree', objects.length, { nodes: MAX_TREE_NODES }, 0);
  array(l.searchList, 'linked.searchList', (i, w) => integer(i, w, 0, objects.length - 1), MAX_OBJECTS);
  array(l.regions, 'linked.regions', (r, w) => {
    const x = record(r, w);
    strings(x, w, ['line', 'range', 'perms', 'offset', 'device', 'inode', 'name', 'role', 'description']);
    hex(x.start, `${w}.start`);
    hex(x.end, `${w}.end`);
    array(x.objects, `${w}.objects`, (i, wi) => integer(i, wi, 0, objects.length - 1), MAX_OBJECTS);
    return x;
  }, 1 << 16);
  return value as LinkedResult;
}
