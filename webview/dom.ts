// A tiny element builder: h('p', { class: 'help' }, 'text', child). Attributes are set with setAttribute,
// never as HTML, so text from configs and messages cannot become markup.
export type Child = Node | string | number | null | undefined | false | Child[];

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : v);
  }
  append(e, children);
  return e;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** A DOM id from a field id ("prefill.compile.ctx_len" -> "f-prefill-compile-ctx_len"). */
export function domId(prefix: string, field: string): string {
  return `${prefix}-${field.replace(/[^\w-]/g, '-')}`;
}
