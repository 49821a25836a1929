// The extension's log: a LogOutputChannel ("QEfficient Disaggregated"), created once.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('QEfficient Disaggregated', { log: true });
  return channel;
}
