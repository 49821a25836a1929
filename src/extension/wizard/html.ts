// The wizard page: a strict Content-Security-Policy (nothing but our own bundle, our stylesheet and the
// toolkit's constructed stylesheets), a fresh nonce from crypto for the one script, every URI through
// asWebviewUri.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

/** The only folder the webview may load from: the bundle. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)], enableFindWidget: true };
}

/**
 * The policy: default-src 'none'; scripts only with the nonce; styles and fonts only from the extension's
 * resources. The toolkit styles its components through constructed stylesheets, which style-src does not
 * govern, so no 'unsafe-inline' is needed; but FAST probes :focus-visible support with one <style> element,
 * which carries the nonce it reads from <meta property="csp-nonce">: style-src allows that nonce too.
 * Images come from the extension's resources.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function wizardHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce = newNonce()): string {
  const root = webviewRoot(extensionUri);
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'wizard.js')).toString();
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'wizard.css')).toString();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(webview.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${escapeAttr(nonce)}">
<link rel="stylesheet" href="${escapeAttr(style)}">
<title>${escapeAttr(vscode.l10n.t('Disaggregated Serving Wizard'))}</title>
</head>
<body>
<div id="app"><p class="loading">${escapeAttr(vscode.l10n.t('Loading the wizard…'))}</p></div>
<script nonce="${escapeAttr(nonce)}" src="${escapeAttr(script)}"></script>
</body>
</html>`;
}
