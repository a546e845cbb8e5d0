// Random values as a webview or a broken host may post them (structured-clone values): wrong
// types, huge arrays and strings, NaN, bigints and bigints-as-strings, prototype-pollution keys,
// deep nesting, typed arrays; and mutations of well-formed messages, one field at a time.
import type { Rng } from './mutations';

const NUMBERS = [0, -0, 1, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 31 + 1, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1e308, 5e-324, 255, 256, 1 << 24, (1 << 24) + 1, 2 ** 40];
const STRINGS = [
  '', '0', '-1', '1.5', 'NaN', '0x', '0x0', '0x1000', '0xFFFF', '0x10000000000000000', '0xffffffffffffffff', '18446744073709551615', '18446744073709551616',
  '99999999999999999999999999', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'request', 'reply', 'event', 'status', 'x86-64', 'ready',
  '\u0000', '\ud800', '\ud83d\ude00', 'é', ' ', 'P',
];
const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'kind', 'id', 'method', 'params', 'result', 'ok', 'error', 'event', 'run', 'step', 'length'];

/** An object with an own property of a name that an assignment would not create (`__proto__`). */
function withOwn(key: string, value: unknown, base: unknown = {}): Record<string, unknown> {
  const o = (base !== null && typeof base === 'object' && !Array.isArray(base) ? base : {}) as Record<string, unknown>;
  Object.defineProperty(o, key, { value, enumerable: true, configurable: true, writable: true });
  return o;
}

function nested(rng: Rng, depth: number): unknown {
  let value: unknown = rng.chance(0.5) ? {} : [];
  const asArray = rng.chance(0.5);
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { params: value, children: value };
  return value;
}

/** A random value, `depth` levels deep at most. */
export function randomValue(rng: Rng, depth = 3): unknown {
  switch (rng.below(depth > 0 ? 16 : 9)) {
    case 0: return null;
    case 1: return undefined;
    case 2: return rng.chance(0.5);
    case 3: return rng.pick(NUMBERS);
    case 4: return rng.chance(0.5) ? rng.pick(STRINGS) : String(rng.next());
    case 5: return rng.pick([0n, 1n, -1n, 1n << 64n]);
    case 6: return 'x'.repeat(rng.pick([17, 19, 65, 257, 4097, 1 << 16, (1 << 20) + 1]));
    case 7: return rng.pick([new Uint8Array(rng.below(64)).fill(rng.below(300)), new Uint16Array(4), new Float64Array([NaN])]);
    case 8: return rng.pick([[], {}, Object.create(null) as object, new Map([[1, 2]]), new Date(0)]);
    case 9: return new Array(rng.pick([0, 1, 65, 1 << 16, (1 << 20) + 1, (1 << 21) + 1])).fill(rng.pick([0, 'x', null]));
    case 10: return nested(rng, rng.pick([10, 300, 5000, 100_000]));
    case 11: return withOwn(rng.pick(KEYS), randomValue(rng, depth - 1));
    case 12: return { toString: rng.pick([1, 'x', null]), valueOf: rng.pick([1, {}, null]) };
    default: {
      if (rng.chance(0.5)) return Array.from({ length: rng.below(5) }, () => randomValue(rng, depth - 1));
      let o: Record<string, unknown> = {};
      for (let i = rng.below(5); i > 0; i--) o = withOwn(rng.pick([...KEYS, ...STRINGS]), randomValue(rng, depth - 1), o);
      return o;
    }
  }
}

/** A copy of `value` with one to three fields (anywhere inside) replaced, deleted, added or re-typed. */
export function mutateValue(rng: Rng, value: unknown): { value: unknown; steps: string[] } {
  const steps: string[] = [];
  let copy = structuredClone(value);
  for (let n = 1 + rng.below(3); n > 0; n--) {
    const path: (string | number)[] = [];
    let parent: unknown = undefined;
    let node: unknown = copy;
    // Walk down to a random depth.
    while (node !== null && typeof node === 'object' && !ArrayBuffer.isView(node) && rng.chance(0.7)) {
      const keys = Object.keys(node);
      if (!keys.length) break;
      const key = rng.pick(keys);
      path.push(key);
      parent = node;
      node = (node as Record<string, unknown>)[key];
    }
    const where = path.join('.') || '(root)';
    const action = rng.below(4);
    const replacement = randomValue(rng);
    if (parent === undefined) {
      copy = action === 0 ? replacement : withOwn(rng.pick(KEYS), replacement, copy);
      steps.push(action === 0 ? `replace the message` : `add a key to the message`);
      continue;
    }
    const key = path[path.length - 1] as string;
    const p = parent as Record<string, unknown>;
    if (action === 0) delete p[key];
    else if (action === 1 && !Array.isArray(p)) Object.defineProperty(p, rng.pick(KEYS), { value: replacement, enumerable: true, configurable: true, writable: true });
    else p[key] = replacement;
    steps.push(`${['delete', 'add a key next to', 'replace', 'replace'][action]} ${where}`);
  }
  return { value: copy, steps };
}
