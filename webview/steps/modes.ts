// The Modes step: the mode of each stage, side by side with what it means and its KV memory.
import type { Mode, StageKey } from '../../src/core/types';
import { MODE_FACTS, MODES_OF, naturalDecode, stageKeys, type ModeFacts } from '../../src/core/wizard';
import { radioGroup } from '../components';
import { domId, h } from '../dom';
import { STAGE_TITLES } from '../text';
import { type StepHost } from '../stepHost';

export function modesStep(app: StepHost): HTMLElement[] {
  const s = app.state!;
  const out: HTMLElement[] = [];
  for (const stage of stageKeys(s.stages)) {
    const field = `${stage}.mode`;
    const modes = MODES_OF[stage];
    const group = app.bind(field, radioGroup({
      id: domId('f', field), label: `${STAGE_TITLES[stage]}: mode`, value: s[stage].mode, describedBy: domId('d', field),
      options: modes.map(m => ({ value: m, label: MODE_FACTS[m].title })),
      onChange: v => app.change({ kind: 'mode', stage, value: v as Mode }, true),
    }), () => app.state![stage].mode);
    const diags = h('div', { class: 'diags', id: domId('d', field) });
    app.diagSlots.set(field, diags);
    out.push(h('section', { class: 'stage-modes', 'aria-labelledby': `${stage}-modes-title` },
      h('h3', { id: `${stage}-modes-title` }, STAGE_TITLES[stage]),
      group.el, diags, modeTable(app, stage, modes.map(m => MODE_FACTS[m]))));
  }
  if (s.stages === 'both' && s.prefill.mode && s.decode.mode) {
    const natural = naturalDecode(s.prefill.mode as 'blocking' | 'chunking') === s.decode.mode;
    out.push(h('p', { class: natural ? 'pair natural' : 'pair' }, natural
      ? `${s.prefill.mode} + ${s.decode.mode} is a natural pair: the KV layout prefill hands over is the one decode keeps.`
      : `${s.prefill.mode} + ${s.decode.mode} is not a natural pair: the natural pairs are blocking + swa-retain (least DDR) and chunking + full-kv (prefix caching, multi-turn chat).`));
  }
  return out;
}

function modeTable(app: StepHost, stage: StageKey, facts: ModeFacts[]): HTMLElement {
  const chosen = app.state![stage].mode;
  const rows: [string, (f: ModeFacts) => string][] = [
    ['QEfficient gets', f => f.qefficient], ['DDR use', f => f.ddr], ['MACs read', f => f.macs],
    ['Prefix caching', f => f.prefixCaching], ['Multi-turn chat', f => f.multiTurn], ['Natural pair', f => f.pair],
  ];
  const kvRow = (what: 'slot' | 'total', label: string) => h('tr', { class: 'kv-row' }, h('th', { scope: 'row' }, label),
    ...facts.map(f => {
      const td = h('td', { class: f.mode === chosen ? 'chosen' : undefined });
      app.kvCells.push({ el: td, stage, mode: f.mode, what });
      return td;
    }));
  return h('table', { class: 'modes', id: `${stage}-modes-table` },
    h('caption', {}, `What each ${stage} mode means (the chosen one is highlighted)`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), ...facts.map(f => h('th', { scope: 'col', class: f.mode === chosen ? 'chosen' : undefined }, f.title, f.mode === chosen ? h('span', { class: 'chosen-mark' }, ' (chosen)') : null)))),
    h('tbody', {},
      ...rows.map(([label, get]) => h('tr', {}, h('th', { scope: 'row' }, label), ...facts.map(f => h('td', { class: f.mode === chosen ? 'chosen' : undefined }, get(f))))),
      kvRow('slot', 'KV cache per slot'), kvRow('total', 'KV cache in total')));
}
