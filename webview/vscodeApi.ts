// The webview's handle to VS Code (acquireVsCodeApi may be called once). Outside VS Code (the page opened
// in a plain browser while working on the UI) a stand-in logs messages and keeps the state in localStorage.
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

function browserStandIn(): VsCodeApi {
  const KEY = 'qeff-disagg-wizard-state';
  return {
    postMessage: m => console.log('[wizard -> extension]', m),
    getState: () => { const s = localStorage.getItem(KEY); return s ? JSON.parse(s) as unknown : undefined; },
    setState: s => localStorage.setItem(KEY, JSON.stringify(s)),
  };
}

export const vscodeApi: VsCodeApi = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : browserStandIn();
