// The wizard webview's entry: registers the components, reports Content-Security-Policy violations, and
// starts the ready -> init handshake with the extension (one ready, answered by one init).
import type { HostMessage, WizardState } from '../src/core/wizard';
import { registerComponents } from './components';
import { onHostMessage } from './hostMessages';
import { post } from './stepHost';
import { vscodeApi } from './vscodeApi';
import { WizardApp } from './wizardApp';
import './wizard.css';

// Marks for bench/wizardBench.js, which reads where the first open's time goes.
performance.mark('wizard:start');
registerComponents();
performance.mark('wizard:components');
const app = new WizardApp();
let cspViolations = 0;
document.addEventListener('securitypolicyviolation', e => {
  cspViolations++;
  app.shell.root.dataset.cspViolations = String(cspViolations);
  post({ type: 'log', level: 'warn', message: `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})` });
});
window.addEventListener('message', e => onHostMessage(app, e.data as HostMessage));
const saved = vscodeApi.getState() as { state?: WizardState } | undefined;
const state = saved?.state?.schemaVersion === 1 ? saved.state : undefined;
// One ready: the host answers it with init, a fresh one when the kept state is from another version.
post(state ? { type: 'ready', state } : { type: 'ready' });
performance.mark('wizard:ready');
