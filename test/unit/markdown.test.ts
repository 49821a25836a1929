// Issue 9, point 8: config text inside hover Markdown is shown as text: a key named like a link or an
// image does not become one, and a backtick does not close the code span around a compiler flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverAt } from '../../src/core/hover';
import { escapeMarkdown, inlineCode } from '../../src/core/markdown';

const hoverOfKey = (key: string) => {
  const text = `{ "model": "openai/gpt-oss-20b", "prefill": { "mode": "chunking", "compile": { ${JSON.stringify(key)}: 1 } } }`;
  return hoverAt(text, text.indexOf(JSON.stringify(key)) + 2)?.markdown ?? '';
};

// A link, an image or raw HTML in the rendered text: `[..](..)` not preceded by a backslash escape.
const ACTIVE = /(^|[^\\])(!?\[[^\]]*[^\\]\]\(|<img|<a )/;

test('an unknown compile key shaped as a link, an image or HTML is escaped in the hover', () => {
  for (const key of ['[click](https://evil.example/x)', '![img](https://evil.example/t.png)', '<img src=x onerror=alert(1)>', '**bold** _em_ `code`']) {
    const md = hoverOfKey(key);
    assert.ok(md.includes('Not a QEfficient keyword argument'), md);
    // Inside a code span nothing is active: test the rest.
    assert.doesNotMatch(md.replace(/(`+)[^`][\s\S]*?[^`]\1(?!`)/g, ''), ACTIVE, md);
    assert.ok(!md.includes(`**${key}**`), md);
  }
});

test('a backtick in a key cannot close the code span of its compiler flag', () => {
  const md = hoverOfKey('a`[x](http://e)`b');
  assert.ok(md.includes('``'), md);
  const code = inlineCode('-a`b');
  assert.equal(code, '``-a`b``');
});

test('escapeMarkdown escapes every Markdown punctuation and line break', () => {
  assert.equal(escapeMarkdown('[a](b)'), '\\[a\\]\\(b\\)');
  assert.equal(escapeMarkdown('x\ny'), 'x\\\\ny'); // the newline is printed as \n, its backslash escaped
  assert.equal(escapeMarkdown('plain words 12'), 'plain words 12');
  assert.equal(escapeMarkdown('ctx_len _x_'), 'ctx_len \\_x\\_'); // intraword underscores stay readable
});
