// Parsing with jsonc-parser (comments and trailing commas allowed, offsets kept), behind guards that
// keep hostile input (huge, binary, absurdly nested) from costing a crash or a stack overflow.
import { createScanner, parseTree, printParseErrorCode, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';

export const MAX_TEXT_LENGTH = 10 * 1024 * 1024;
/** jsonc-parser and the rules recurse per level; a config is at most 4 levels deep. */
export const MAX_DEPTH = 256;

export interface ParseProblem { offset: number; length: number; message: string }
export interface ParsedDocument { root: Node | undefined; problems: ParseProblem[] }

const PARSE_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'Invalid symbol',
  InvalidNumberFormat: 'Invalid number format',
  PropertyNameExpected: 'Property name expected',
  ValueExpected: 'Value expected',
  ColonExpected: 'Colon expected',
  CommaExpected: 'Comma expected',
  CloseBraceExpected: 'Closing brace } expected',
  CloseBracketExpected: 'Closing bracket ] expected',
  EndOfFileExpected: 'End of file expected: only one JSON value is allowed',
  InvalidCommentToken: 'Invalid comment token',
  UnexpectedEndOfComment: 'Unterminated block comment',
  UnexpectedEndOfString: 'Unterminated string',
  UnexpectedEndOfNumber: 'Unterminated number',
  InvalidUnicode: 'Invalid unicode escape sequence',
  InvalidEscapeCharacter: 'Invalid escape character in string',
  InvalidCharacter: 'Invalid character in string (control characters must be escaped)',
};

/** Whether the text holds more than `n` opening brackets (in strings too): the only way to nest deeper than n. */
function moreOpeningsThan(text: string, n: number): boolean {
  let count = 0;
  for (const open of ['{', '[']) {
    for (let i = text.indexOf(open); i !== -1; i = text.indexOf(open, i + 1)) if (++count > n) return true;
  }
  return false;
}

/** The first offset where nesting exceeds MAX_DEPTH, found with the (iterative) scanner. */
function tooDeepAt(text: string): number | undefined {
  // A config has a few dozen brackets: then no scan is needed to know it is shallow enough.
  if (!moreOpeningsThan(text, MAX_DEPTH)) return undefined;
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) {
      if (++depth > MAX_DEPTH) return scanner.getTokenOffset();
    } else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** The message for a file over MAX_TEXT_LENGTH; hosts that do not read such a file pass its size. */
/** size: the known size, or undefined when reading stopped at the limit (a device or pipe has no size). */
export function tooLargeMessage(size: number | undefined): string {
  const mb = size === undefined ? `more than ${MAX_TEXT_LENGTH / 1024 / 1024}` : (size / 1024 / 1024).toFixed(1);
  return `The file is too large to check (${mb} MB; the limit is ${MAX_TEXT_LENGTH / 1024 / 1024} MB). A qeff config is a few hundred bytes: is this the right file?`;
}

export function parseDocument(text: string): ParsedDocument {
  if (text.length > MAX_TEXT_LENGTH) {
    return { root: undefined, problems: [{ offset: 0, length: 1, message: tooLargeMessage(text.length) }] };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    return { root: undefined, problems: [{ offset: nul, length: 1, message:
      'The file contains NUL bytes: it looks binary, not JSON. A *.qeff.json config must be UTF-8 text.' }] };
  }
  if (text.trim() === '') {
    return { root: undefined, problems: [{ offset: 0, length: text.length, message:
      'The file is empty: a config is a JSON object with at least "model", e.g. { "model": "openai/gpt-oss-20b" }.' }] };
  }
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    return { root: undefined, problems: [{ offset: deep, length: 1, message:
      `Nesting deeper than ${MAX_DEPTH} levels: this is not a qeff config (they are at most 4 levels deep).` }] };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  // jsonc-parser cascades (", expected" then "value expected" at one offset): keep the first per offset.
  const firstPerOffset = errors.filter((e, i) => errors.findIndex(x => x.offset === e.offset) === i);
  const problems = firstPerOffset.map(e => {
    const name = printParseErrorCode(e.error);
    // An error at the very end (e.g. "{") must still lie inside the document.
    const offset = Math.min(e.offset, text.length);
    return { offset, length: Math.min(Math.max(1, e.length), text.length - offset), message: `Not valid JSON (with comments): ${PARSE_MESSAGES[name] ?? name}.` };
  });
  return { root, problems };
}
