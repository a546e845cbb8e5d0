import * as vscode from 'vscode';
import { makeNonce } from './nonce';

/** The folder the webview may load from: its bundle, its stylesheet, the codicons it uses. */
export const webviewRoot = (extensionUri: vscode.Uri) => vscode.Uri.joinPath(extensionUri, 'dist', 'webview');

/**
 * A webview's page: a strict CSP, one nonce-tagged script, no inline handlers. `entry` names the
 * bundle and its stylesheet in dist/webview ('main' for the ELF view, 'scenario' for the scenario panel, 'live' for a live process).
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, entry: 'main' | 'scenario' | 'live'): string {
  const nonce = makeNonce();
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot(extensionUri), name)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset(`${entry}.css`)}">
<title>Address Space Explorer</title>
</head>
<body>
<main id="root"></main>
<script nonce="${nonce}" src="${asset(`${entry}.js`)}"></script>
</body>
</html>`;
}
