import * as vscode from 'vscode';
import type { LayoutParams, Methods, Request } from '../../webview/protocol';
import type { FileOpener } from '../files/file-opener';
import { SIMULATE_PROCESS } from '../identifiers';
import { coreView } from './core-layout';
import type { ElfDocument } from './elf-document';
import { exportLayout } from './export-layout';
import { mapsText } from './layout-text';
import { entryMapsText } from './linked-model';
import { linkedLayout } from './simulate-linked';

/** What the handlers need from the host besides the document. */
export interface HandlerContext {
  readonly opener: FileOpener;
  sysroot(): vscode.Uri;
}

export type Handlers = { readonly [M in keyof Methods]: (params: Methods[M]['params']) => Promise<Methods[M]['result']> };

/** The host's side of every request a view of `doc` can make. */
export function requestHandlers(doc: ElfDocument, ctx: HandlerContext): Handlers {
  const layout = (p: LayoutParams) => doc.layout(p, ctx.sysroot(), ctx.opener);
  return {
    summary: () => doc.summary(),
    layout,
    symbols: (query) => doc.symbols().page(query),
    copyMaps: async (p) => {
      const result = await layout(p);
      if (result.kind !== 'layout') throw new Error(`there is no layout to copy: ${result.reason}`);
      await vscode.env.clipboard.writeText(mapsText(result));
      return { lines: result.regions.length };
    },
    export: async (p) => ({ savedTo: await exportLayout(doc, await layout(p), p.format) }),
    linked: async (p) => (doc.isCore
      ? { kind: 'not-executable', message: 'A core file is not run: it is the address space at the moment of the dump (the Maps and Core tabs).', searched: [] }
      : linkedLayout(doc, p, ctx.sysroot(), ctx.opener)),
    copyEntryMaps: async (p) => {
      const result = await linkedLayout(doc, p, ctx.sysroot(), ctx.opener);
      if (result.kind !== 'linked') throw new Error(`there is no layout at entry to copy: ${result.message}`);
      await vscode.env.clipboard.writeText(entryMapsText(result));
      return { lines: result.regions.length };
    },
    core: async () => (doc.isCore ? coreView(await doc.core(ctx.sysroot(), ctx.opener)) : null),
    simulateCore: async () => {
      void vscode.commands.executeCommand(SIMULATE_PROCESS, doc.uri);
      return {};
    },
  };
}

export function dispatch(handlers: Handlers, request: Request): Promise<unknown> {
  // The union of methods narrows per case; the cast pairs each method with its own params.
  const handler = handlers[request.method] as (params: Request['params']) => Promise<unknown>;
  return handler(request.params);
}
