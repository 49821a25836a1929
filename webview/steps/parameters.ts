// The Parameters step: the parameters each stage's mode uses, in the mode table's order.
import type { StageKey } from '../../src/core/types';
import { isBoolParam, isRelevant, modeParams, paramField, stageKeys, type ParamName } from '../../src/core/wizard';
import { button, checkbox, dropdown, textField } from '../components';
import { domId, h } from '../dom';
import { paramHelp, paramLabel, STAGE_TITLES } from '../text';
import { configFolder, post, type StepHost } from '../stepHost';

export function parametersStep(app: StepHost): HTMLElement[] {
  const s = app.state!;
  const keys = stageKeys(s.stages);
  return [h('div', { class: keys.length > 1 ? 'stage-columns two' : 'stage-columns' }, ...keys.map(stage => {
    const summary = h('p', { class: 'kv', id: `${stage}-kv` });
    app.kvCells.push({ el: summary, stage, what: 'summary' });
    const rows = modeParams(stage, s[stage].mode).filter(n => isRelevant(stage, s[stage], n)).map(n => paramRow(app, stage, n));
    return h('section', { class: 'stage-params', 'aria-labelledby': `${stage}-params-title` },
      h('h3', { id: `${stage}-params-title` }, `${STAGE_TITLES[stage]} · ${s[stage].mode || 'no mode'}`),
      summary, ...rows);
  }))];
}

function paramRow(app: StepHost, stage: StageKey, name: ParamName): HTMLElement {
  const field = paramField(stage, name);
  const id = domId('f', field);
  const label = paramLabel(name);
  const help = paramHelp(name, stage);
  const describedBy = app.describedBy(field);
  const read = () => app.state![stage][name];
  if (isBoolParam(name)) {
    const c = app.bind(field, checkbox({
      id, label, checked: read() === true, describedBy,
      onChange: v => app.change({ kind: 'param', stage, name, value: v }, name === 'continuous_batching'),
    }), () => read() === true);
    return app.row(field, c.el, help);
  }
  if (name === 'ENABLE_OPT_SWA') {
    const c = app.bind(field, dropdown({
      id, label, value: String(read()), describedBy,
      options: [{ value: '1', label: '"1": on' }, { value: '0', label: '"0": off' }, { value: '', label: 'not set (off)' }],
      onChange: v => app.change({ kind: 'param', stage, name, value: v }),
    }), () => String(read()));
    return app.row(field, c.el, help);
  }
  const required = name === 'node_precision_info' && app.family() === 'gpt-oss-120b';
  const c = app.bind(field, textField({
    id, label: required ? `${label}, required for gpt-oss-120b` : label, value: String(read()), describedBy,
    size: name === 'node_precision_info' ? 40 : 12,
    placeholder: name === 'node_precision_info' ? `npi/${stage === 'prefill' ? '' : 'non_'}subfunction_120b_npi.yaml` : 'default',
    onInput: v => app.change({ kind: 'param', stage, name, value: v }),
  }), () => String(read()));
  const extra = name === 'node_precision_info'
    ? [button({ id: `browse-npi-${stage}`, label: 'Browse…', title: `Pick the NPI file of the ${stage} stage`, onClick: () => post({ type: 'pickNpi', stage, folder: configFolder(app.state!) }) }).el]
    : [];
  return app.row(field, c.el, help, extra);
}
