// Fix builders: each returns the text edits of one fix, computed once when the diagnostic is made, so the
// editor and the CLI apply them as data. Insertions and removals go through jsonc-parser's `modify`,
// which keeps comments and handles commas.
import { modify, type FormattingOptions, type Node } from 'jsonc-parser';
import type { Prop } from './jsonNodes';
import { LineIndex } from './lineIndex';
import type { Diagnostic, Fix, Position, TextEdit } from './types';

export class FixBuilder {
  private formatting: FormattingOptions | undefined;

  constructor(private readonly text: string, private readonly lines: LineIndex) {}

  private options(): FormattingOptions {
    if (!this.formatting) {
      const indent = /^([ \t]+)"/m.exec(this.text)?.[1] ?? '  ';
      this.formatting = {
        insertSpaces: !indent.startsWith('\t'),
        tabSize: indent.startsWith('\t') ? 4 : Math.max(1, Math.min(8, indent.length)),
        eol: this.text.includes('\r\n') ? '\r\n' : '\n',
      };
    }
    return this.formatting;
  }

  private edit(offset: number, length: number, newText: string): TextEdit {
    return { range: this.lines.range(offset, length), newText };
  }

  /** Insertions are formatted like the file. */
  private modifyEdits(path: (string | number)[], value: unknown): TextEdit[] {
    try {
      return modify(this.text, path, value, { formattingOptions: this.options() })
        .map(e => this.edit(e.offset, e.length, e.content));
    } catch {
      return []; // e.g. "compile" is not an object: no edit can add a key to it (the schema reports it)
    }
  }

  /**
   * Removes a property with its comma, touching nothing else: up to the next property when there is
   * one, else from the end of the previous one; an only property leaves `{}`.
   */
  remove(title: string, p: Prop): Fix {
    const siblings = p.prop.parent?.children ?? [p.prop];
    const i = siblings.indexOf(p.prop);
    const next = siblings[i + 1];
    const prev = siblings[i - 1];
    const obj = p.prop.parent;
    let start: number;
    let end: number;
    if (next) [start, end] = [p.prop.offset, next.offset];
    else if (prev) [start, end] = [prev.offset + prev.length, p.prop.offset + p.prop.length];
    else if (obj) [start, end] = [obj.offset + 1, obj.offset + obj.length - 1];
    else [start, end] = [p.prop.offset, p.prop.offset + p.prop.length];
    return { title, edits: [this.edit(start, end - start, '')] };
  }

  replaceValue(title: string, node: Node, value: unknown, fixAllSafe = false): Fix {
    return { title, edits: [this.edit(node.offset, node.length, JSON.stringify(value))], fixAllSafe };
  }

  renameKey(title: string, key: Node, newName: string, fixAllSafe = false): Fix {
    return { title, edits: [this.edit(key.offset, key.length, JSON.stringify(newName))], fixAllSafe };
  }

  /** Sets `path` (creating missing objects on the way) to `value`. */
  set(title: string, path: (string | number)[], value: unknown): Fix {
    return { title, edits: this.modifyEdits(path, value) };
  }
}

/** Edits that set `path` to `value` in `text` (for commands that compute a value first, e.g. a file picker). */
export function setValueEdits(text: string, path: (string | number)[], value: unknown): TextEdit[] {
  return new FixBuilder(text, new LineIndex(text)).set('', path, value).edits;
}

/** Applies edits (ranges in the original text, non-overlapping) to `text`. */
/**
 * The edits of "fix all" (source.fixAll): the preferred fix of every diagnostic whose fix is safe to apply
 * everywhere at once, in document order; an edit that overlaps one already taken is left for the next run.
 */
export function fixAllEdits(diagnostics: readonly Diagnostic[]): TextEdit[] {
  const edits = diagnostics.filter(d => d.fix?.fixAllSafe && !d.fix.command).flatMap(d => d.fix!.edits)
    .sort((a, b) => before(a.range.start, b.range.start) ? -1 : before(b.range.start, a.range.start) ? 1 : 0);
  const taken: TextEdit[] = [];
  for (const e of edits) {
    const last = taken[taken.length - 1];
    if (!last || !before(e.range.start, last.range.end)) taken.push(e);
  }
  return taken;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = edits.map(e => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
