// The declared types of the protocols' messages, written out again independently of the
// validators, so that the fuzzer can tell whether an accepted message really has them.
// Fields beyond the declared ones are allowed, as TypeScript's structural types allow them.
export type Schema =
  | 'any' | 'int' | 'number' | 'bool' | 'string' | 'hex' | 'decimal64' | 'empty'
  | { readonly enum: readonly string[] }
  | { readonly literal: boolean }
  | { readonly object: Readonly<Record<string, Schema>>; readonly optional?: readonly string[] }
  | { readonly array: Schema }
  | { readonly nullable: Schema }
  | { readonly union: readonly Schema[] };

const HEX = /^0x[0-9a-f]{1,16}$/;

/** Why `value` does not have the type `schema`, or undefined when it has. */
export function violation(value: unknown, schema: Schema, where = 'message'): string | undefined {
  if (typeof schema === 'string') {
    const ok = {
      any: () => true,
      int: () => Number.isSafeInteger(value) || Object.is(value, -0),
      number: () => typeof value === 'number' && Number.isFinite(value),
      bool: () => typeof value === 'boolean',
      string: () => typeof value === 'string',
      hex: () => typeof value === 'string' && HEX.test(value),
      decimal64: () => typeof value === 'string' && /^\d{1,20}$/.test(value) && BigInt(value) < 1n << 64n,
      empty: () => isPlainObject(value) && Object.keys(value as object).length === 0,
    }[schema]();
    return ok ? undefined : `${where} is not ${schema}: ${describe(value)}`;
  }
  if ('literal' in schema) return value === schema.literal ? undefined : `${where} is not ${schema.literal}: ${describe(value)}`;
  if ('enum' in schema) return typeof value === 'string' && schema.enum.includes(value) ? undefined : `${where} is not one of ${schema.enum.join('|')}: ${describe(value)}`;
  if ('nullable' in schema) return value === null ? undefined : violation(value, schema.nullable, where);
  if ('union' in schema) return schema.union.some((s) => violation(value, s, where) === undefined) ? undefined : `${where} matches no variant: ${describe(value)}`;
  if ('array' in schema) {
    if (!Array.isArray(value)) return `${where} is not an array: ${describe(value)}`;
    for (let i = 0; i < value.length; i++) {
      const v = violation(value[i], schema.array, `${where}[${i}]`);
      if (v) return v;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return `${where} is not an object: ${describe(value)}`;
  const o = value as Record<string, unknown>;
  for (const [key, s] of Object.entries(schema.object)) {
    if (!Object.hasOwn(o, key)) {
      if (schema.optional?.includes(key)) continue;
      return `${where}.${key} is missing`;
    }
    if (o[key] === undefined && schema.optional?.includes(key)) continue;
    const v = violation(o[key], s, `${where}.${key}`);
    if (v) return v;
  }
  return undefined;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (value === null || typeof value !== 'object') return String(value);
  return Object.prototype.toString.call(value);
}

const object = (fields: Record<string, Schema>, optional?: readonly string[]): Schema => (optional ? { object: fields, optional } : { object: fields });
const request = (method: string, params: Schema): Schema => object({ kind: { enum: ['request'] }, id: 'int', method: { enum: [method] }, params });
const event = (name: string, params: Schema, extra: Record<string, Schema> = {}): Schema => object({ kind: { enum: ['event'] }, event: { enum: [name] }, params, ...extra });
const reply: Schema = {
  union: [
    object({ kind: { enum: ['reply'] }, id: 'int', ok: { literal: true }, result: 'any' }),
    object({ kind: { enum: ['reply'] }, id: 'int', ok: { literal: false }, error: 'string' }),
  ],
};

// ---- the scenario panel (webview/scenario/protocol.ts) -----------------------------------------

const TABS = { enum: ['processes', 'smaps', 'pages', 'pagetable', 'physical', 'lru', 'timeline', 'faults'] };
const MODES = { enum: ['x86-64', 'i386', 'toy6'] };
const at = { run: 'int', step: 'int' } as const;
const inRegion = { ...at, process: 'string', region: 'int' } as const;

export const SCENARIO_WEBVIEW_MESSAGE: Schema = {
  union: [
    request('status', 'empty'),
    request('regions', object({ ...at, process: 'string' })),
    request('smaps', object(inRegion)),
    request('pages', object(inRegion)),
    request('page', object({ ...at, process: 'string', address: 'hex' })),
    request('walk', object({ ...at, process: 'string', address: 'hex', mode: MODES })),
    request('physical', object(at)),
    request('frame', object({ ...at, pfn: 'int' })),
    request('lru', object(at)),
    request('timeline', object({ run: 'int' })),
    request('faults', object({ ...at, all: 'bool' })),
    request('setStep', object({ run: 'int', step: 'int' })),
    request('setLine', object({ run: 'int', line: 'int' })),
    request('reveal', object({ line: 'int' })),
    request('runScenario', 'empty'),
    request('editPte', object({ ...at, address: 'int', value: 'int' })),
    event('rendered', object({
      ...at, line: 'int', tab: TABS, process: { nullable: 'string' }, region: { nullable: 'int' },
      smaps: { array: object({ name: 'string', kb: 'int' }) }, restored: 'bool',
    })),
    event('focus', object({ tab: TABS, process: { nullable: 'string' }, region: { nullable: 'hex' }, address: { nullable: 'hex' }, mode: MODES })),
  ],
};

const PROCESS = object({ name: 'string', pid: 'int', state: { enum: ['running', 'exited', 'killed'] }, death: 'string', line: 'int', rssKb: 'int', pssKb: 'int', swapKb: 'int', vmaCount: 'int' }, ['death']);
const STATUS = object({
  document: { nullable: 'string' }, run: 'int', state: { enum: ['no-scenario', 'not-run', 'running', 'problem', 'ready'] }, progress: { nullable: 'int' },
  problems: { array: object({ line: 'int', message: 'string' }) }, stale: 'bool', step: 'int', steps: 'int', line: 'int', text: 'string',
  processes: { array: PROCESS }, failures: { array: 'string' },
});

/** The views' results are the checkers' own fresh objects; only their envelope is declared here. */
const PREFETCHED = object({ method: { enum: ['regions', 'smaps', 'pages', 'walk', 'physical', 'lru'] }, params: object({ run: 'int', step: 'int', process: 'string', region: 'int', address: 'hex', mode: MODES }, ['process', 'region', 'address', 'mode']), result: 'any' });

export const SCENARIO_HOST_MESSAGE: Schema = {
  union: [
    reply,
    event('status', STATUS, { views: { array: PREFETCHED } }),
    event('showAddress', object({ address: 'hex', process: { nullable: 'string' } })),
    event('showTab', object({ tab: TABS })),
  ],
};

// ---- the ELF view (webview/protocol.ts) --------------------------------------------------------

const ASLR = { enum: ['off', 'on', 'full'] };
const layout = { aslr: ASLR, seed: 'decimal64' } as const;

export const ELF_WEBVIEW_MESSAGE: Schema = {
  union: [
    request('summary', 'empty'),
    request('layout', object(layout)),
    request('symbols', object({ table: 'int', text: 'string', range: { nullable: object({ start: 'hex', end: 'hex' }) }, offset: 'int', limit: 'int' })),
    request('copyMaps', object(layout)),
    request('export', object({ ...layout, format: { enum: ['json', 'csv', 'markdown'] } })),
    request('linked', object(layout)),
    request('copyEntryMaps', object(layout)),
    request('core', 'empty'),
    request('simulateCore', 'empty'),
    event('rendered', object({ ...layout, regions: 'int', restored: 'bool' })),
  ],
};

export const ELF_HOST_MESSAGE: Schema = {
  union: [reply, event('setAslr', object({ aslr: ASLR })), event('reroll', 'empty'), event('relayout', 'empty')],
};

const REGION_VIEW = object({
  start: 'hex', end: 'hex', line: 'string', range: 'string', perms: 'string', offset: 'string', device: 'string', inode: 'string', name: 'string',
  owner: { enum: ['program', 'interpreter', 'stack', 'kernel', 'anonymous'] }, description: 'string', linkStart: { nullable: 'hex' }, linkEnd: { nullable: 'hex' },
});

/** The ELF view's `layout` result (checkLayoutResult hands the value itself on). */
export const ELF_LAYOUT_RESULT: Schema = {
  union: [
    object({ kind: { enum: ['not-executable'] }, reason: 'string' }),
    object({
      kind: { enum: ['layout'] }, aslr: ASLR, seed: 'decimal64', regions: { array: REGION_VIEW }, loadBias: 'hex', entry: 'hex',
      interpreter: { nullable: object({ requested: 'string', lookedUp: 'string', found: 'bool' }) }, incomplete: { nullable: 'string' },
    }),
  ],
};
