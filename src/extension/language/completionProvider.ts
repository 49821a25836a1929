// Completion from the core: keys for the cursor's object (the stage mode's kwargs first), enum values,
// and a snippet per stage mode.
import * as vscode from 'vscode';
import { completionsAt } from '../../core/completion';
import { checkOptions } from '../configDocuments';

const KINDS = {
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.EnumMember,
  snippet: vscode.CompletionItemKind.Snippet,
} as const;

export class ConfigCompletionProvider implements vscode.CompletionItemProvider {
  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    return completionsAt(doc.getText(), doc.offsetAt(position), { qefficientVersion: checkOptions(doc).qefficientVersion }).map(c => {
      const item = new vscode.CompletionItem(c.label, KINDS[c.kind]);
      item.insertText = new vscode.SnippetString(c.insertText);
      item.range = new vscode.Range(doc.positionAt(c.offset), doc.positionAt(c.offset + c.length));
      item.sortText = c.sortText;
      if (c.filterText) item.filterText = c.filterText;
      if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
      if (c.detail) item.detail = c.detail;
      return item;
    });
  }
}
