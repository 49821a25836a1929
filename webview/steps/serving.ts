// The Serving step (optional): the config's "serving" section, how qaic_disagg launches the pair: the API
// port, each stage's device groups, ports and batch, and where the launcher runs.
import type { StageKey } from '../../src/core/types';
import { type ServingField } from '../../src/core/wizard';
import { checkbox, radioGroup, textField } from '../components';
import { domId, h } from '../dom';
import { SERVING_HELP, SERVING_LABEL, STAGE_TITLES } from '../text';
import { type StepHost } from '../stepHost';

export function servingStep(app: StepHost): HTMLElement[] {
  const s = app.state!;
  const enabled = s.serving?.enabled === true;
  const on = app.bind('serving', checkbox({
    id: 'f-serving', label: 'Write a "serving" section: launch the pair with qaic_disagg', checked: enabled, describedBy: app.describedBy('serving'),
    onChange: v => app.change({ kind: 'serving', value: v }, true),
  }), () => app.state!.serving?.enabled === true);
  const out = [app.row('serving', on.el, 'Optional: skip this step to leave serving out of the config. QEff: Serve and serve-command read this section.')];
  if (!enabled) return out;
  if (s.stages !== 'both') {
    out.push(h('p', { class: 'note', id: 'serving-needs-pair' }, 'Serving launches a prefill and a decode QPC: choose both stages in the Stages step, or the section is not written.'));
    return out;
  }
  const field = (name: ServingField, size = 12) => {
    const id = `serving.${name}`;
    const c = app.bind(id, textField({
      id: domId('f', id), label: SERVING_LABEL[name], value: s.serving!.values[name], size, describedBy: app.describedBy(id),
      onInput: v => app.change({ kind: 'servingField', name, value: v }),
    }), () => app.state!.serving!.values[name]);
    return app.row(id, c.el, SERVING_HELP[name]);
  };
  const stage = (key: StageKey) => h('section', { class: 'stage-params', 'aria-labelledby': `serving-${key}-title` },
    h('h3', { id: `serving-${key}-title` }, STAGE_TITLES[key]),
    field(`${key}.deviceGroups` as ServingField, 24), field(`${key}.ports` as ServingField), field(`${key}.maxNumSeqs` as ServingField));
  const runtime = app.bind('serving.runtime', radioGroup({
    id: 'f-serving-runtime', label: SERVING_LABEL.runtime, value: s.serving!.values.runtime || 'bare', describedBy: app.describedBy('serving.runtime'),
    options: [{ value: 'bare', label: 'bare: python3 -m qaic_disagg here' }, { value: 'docker', label: 'docker: the vLLM disaggregated-serving image' }],
    onChange: v => app.change({ kind: 'servingField', name: 'runtime', value: v === 'docker' ? 'docker' : 'bare' }, true),
  }), () => app.state!.serving!.values.runtime || 'bare');
  out.push(field('port'),
    h('div', { class: 'stage-columns two' }, stage('prefill'), stage('decode')),
    app.row('serving.runtime', runtime.el, SERVING_HELP.runtime));
  if (s.serving!.values.runtime === 'docker') out.push(field('image', 50));
  return out;
}
