// Text from a config inside Markdown (hover): shown as the characters it is, never as a link, an image,
// emphasis, HTML or a line break. The documentation around it is ours and stays Markdown.
import { printable } from './printable';

/** `s` as literal Markdown text: every ASCII punctuation character CommonMark or GFM may read (autolinks
 *  included) is backslash-escaped, except an underscore inside a word, which never starts emphasis. */
export function escapeMarkdown(s: string): string {
  return printable(s).replace(/[\\`*_{}[\]()#+\-.!|<>~&"':=$%^@,;?/]/g, (c, i: number, all: string) =>
    c === '_' && /[A-Za-z0-9]/.test(all[i - 1] ?? '') && /[A-Za-z0-9]/.test(all[i + 1] ?? '') ? c : `\\${c}`);
}

/** `s` as an inline code span: a fence longer than any backtick run inside, so that nothing closes it early. */
export function inlineCode(s: string): string {
  const text = printable(s);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map(r => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
