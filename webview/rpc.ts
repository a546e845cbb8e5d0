// The request/reply machinery every webview protocol shares: envelopes with ids, one reply per
// request, error replies, and checks of both directions. A protocol (webview/protocol.ts for the
// ELF view, webview/scenario/protocol.ts for the scenario panel) supplies its methods' checks.
import { integer, ProtocolError, record, shown, string, type Fields } from './validate';

/** Each method of a protocol: what the webview sends and what the host answers. */
export type MethodTable<T> = { readonly [M in keyof T]: { params: unknown; result: unknown } };

export type RequestOf<T extends MethodTable<T>> = { [M in keyof T & string]: { kind: 'request'; id: number; method: M; params: T[M]['params'] } }[keyof T & string];

export type Reply =
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: string };

export const MAX_ID = 2 ** 31;

/** A request that could be identified but not accepted: the host replies with an error to its id. */
export class RequestError extends ProtocolError {
  constructor(
    readonly id: number,
    message: string,
  ) {
    super(message);
  }
}

/** How to check one protocol's requests (host side) and replies (webview side). */
export interface MethodChecks<T extends MethodTable<T>> {
  readonly params: { readonly [M in keyof T]: (p: Fields) => T[M]['params'] };
  readonly results: { readonly [M in keyof T]: (r: unknown) => T[M]['result'] };
  /** How long the webview waits for each method's reply. */
  readonly timeouts: { readonly [M in keyof T]: number };
}

const hasOwn = <O extends object>(o: O, key: unknown): key is keyof O & string => typeof key === 'string' && Object.prototype.hasOwnProperty.call(o, key);

/**
 * Host side: checks a request envelope and its params. Throws RequestError (with the id) when
 * the request can be answered with an error, ProtocolError when it cannot.
 */
export function parseRequest<T extends MethodTable<T>>(checks: MethodChecks<T>, m: Fields): RequestOf<T> {
  const id = integer(m.id, 'id', 1, MAX_ID);
  try {
    if (!hasOwn(checks.params, m.method)) throw new ProtocolError(`unknown method ${shown(m.method)}`);
    const params = checks.params[m.method](record(m.params, 'params'));
    return { kind: 'request', id, method: m.method, params } as RequestOf<T>;
  } catch (error) {
    throw new RequestError(id, error instanceof Error ? error.message : String(error));
  }
}

/** Webview side: checks a reply envelope (its result is checked against the method it answers). */
export function parseReply(m: Fields): Reply {
  const id = integer(m.id, 'id', 1, MAX_ID);
  if (m.ok === true) return { kind: 'reply', id, ok: true, result: m.result };
  if (m.ok === false) return { kind: 'reply', id, ok: false, error: string(m.error, 'error', 4096) };
  throw new ProtocolError('reply.ok must be true or false');
}
