// The Review step: where the config goes, its problems, the config text and the stage scripts.
import { stageKeys } from '../../src/core/wizard';
import { button, divider, tabs, textField } from '../components';
import { h } from '../dom';
import { post, type StepHost } from '../stepHost';

export function reviewStep(app: StepHost): HTMLElement[] {
  const s = app.state!;
  const out: HTMLElement[] = [];
  if (s.edit) {
    out.push(h('p', { class: 'target' }, 'Saving writes to ', h('code', {}, s.edit.path), '.'));
  } else {
    const folder = app.bind('folder', textField({
      id: 'f-folder', label: 'Folder', value: s.folder, size: 50, onInput: v => app.change({ kind: 'folder', value: v }),
    }), () => app.state!.folder);
    const name = app.bind('fileName', textField({
      id: 'f-fileName', label: 'File name', value: s.fileName, size: 40, describedBy: app.describedBy('fileName'),
      onInput: v => app.change({ kind: 'fileName', value: v }),
    }), () => app.state!.fileName);
    const browse = button({ id: 'browse-folder', label: 'Browse…', title: 'Pick the folder of the new config', onClick: () => post({ type: 'pickFolder', purpose: 'target', folder: app.state!.folder }) });
    out.push(h('div', { class: 'save-as' },
      app.row('folder', folder.el, undefined, [browse.el]),
      app.row('fileName', name.el, 'Relative paths in the config (the NPI files, a local model) are relative to this folder.')));
  }
  const problems = h('div', { class: 'problems', id: 'problems' });
  app.review.problems = problems;
  out.push(h('h3', {}, 'Problems'), problems);
  const text = h('pre', { class: 'code', id: 'config-text', tabindex: '0', 'aria-label': 'The config file' });
  app.review.text = text;
  const entries = [{ id: 'config', label: s.edit ? 'config (edited)' : (s.fileName || 'config'), content: text }];
  for (const stage of stageKeys(s.stages)) {
    const pre = h('pre', { class: 'code', id: `${stage}-script`, tabindex: '0', 'aria-label': `The ${stage} stage's Python script` });
    app.review.scripts[stage] = pre;
    entries.push({ id: `${stage}-py`, label: `${stage}.py`, content: pre });
  }
  out.push(divider(), tabs('review-tabs', entries));
  return out;
}
