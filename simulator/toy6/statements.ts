// The statements of a toy6 scenario (`set machine toy6`), with the spans the editor and panel need.
import type { Span } from '../scenario/ast';
import type { Access, FaultBit } from './machine';

interface Base {
  readonly line: number;
  /** The statement as written, comment removed. */
  readonly text: string;
  readonly span: Span;
}

/** What an `expect` asserts of an access it does not make. */
export type Toy6Expectation =
  | { readonly what: 'pa'; readonly n: number }
  | { readonly what: 'value'; readonly n: number }
  | { readonly what: 'fault'; readonly bit: FaultBit };

export type Toy6Statement =
  | (Base & { readonly kind: 'machine' })
  | (Base & { readonly kind: 'poke'; readonly pa: number; readonly value: number; readonly paSpan: Span; readonly valueSpan: Span })
  | (Base & { readonly kind: 'process'; readonly name: string; readonly cr3: number; readonly cr3Span: Span })
  | (Base & { readonly kind: 'access'; readonly process: string; readonly va: number; readonly access: Access; readonly value?: number })
  | (Base & { readonly kind: 'expect'; readonly process: string; readonly va: number; readonly access: Access; readonly expectation: Toy6Expectation })
  | (Base & { readonly kind: 'show-pagetable'; readonly process: string; readonly va?: number })
  | (Base & { readonly kind: 'show-physmem' });
