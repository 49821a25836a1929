// Hover from the core: schema documentation plus the stage's KV memory.
import * as vscode from 'vscode';
import { hoverAt } from '../../core/hover';
import { checkOptions } from '../configDocuments';

export class ConfigHoverProvider implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const h = hoverAt(doc.getText(), doc.offsetAt(position), checkOptions(doc));
    if (!h) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(h.markdown),
      new vscode.Range(doc.positionAt(h.offset), doc.positionAt(h.offset + h.length)));
  }
}
