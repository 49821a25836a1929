// What a rule module gets: the parsed view, the target version, the file host and a `report` function.
import type { Node } from 'jsonc-parser';
import type { ConfigView, StageView } from './configView';
import { FixBuilder } from './fixes';
import type { LineIndex } from './lineIndex';
import { defaultSeverity, type RuleId } from './ruleRegistry';
import type { Diagnostic, Fix, FileHost, Severity } from './types';

/** A diagnostic plus the stage it belongs to, used to resolve "one fault, one diagnostic". */
export interface RuleDiagnostic extends Diagnostic { stage?: string }

export interface ReportArgs {
  code: RuleId;
  /** Default: the registry's default severity of `code`. */
  severity?: Severity;
  node: Node;
  message: string;
  stage?: StageView;
  fixes?: Fix[];
  /** Other nodes the message compares with, each with what it is. */
  related?: { node: Node; message: string }[];
}

export class RuleContext {
  readonly diagnostics: RuleDiagnostic[] = [];
  readonly fix: FixBuilder;

  constructor(
    readonly text: string,
    readonly lines: LineIndex,
    readonly view: ConfigView,
    readonly host: FileHost | undefined,
  ) {
    this.fix = new FixBuilder(text, lines);
  }

  report({ code, severity, node, message, stage, fixes, related }: ReportArgs): void {
    // Built property by property: a config may hold thousands of unknown keys, each one a diagnostic.
    const d: RuleDiagnostic = {
      code, severity: severity ?? defaultSeverity(code), message,
      range: this.lines.range(node.offset, node.length),
      offset: node.offset, length: node.length,
    };
    if (fixes?.length) {
      // A fix that could not be computed (no edits, no command) is not offered.
      const [fix, ...more] = fixes.filter(f => f.edits.length || f.command);
      if (fix) d.fix = fix;
      if (more.length) d.moreFixes = more;
    }
    if (related?.length) d.related = related.map(r => ({ message: r.message, range: this.lines.range(r.node.offset, r.node.length), offset: r.node.offset, length: r.node.length }));
    if (stage) d.stage = stage.key;
    this.diagnostics.push(d);
  }

  /** Where a missing kwarg is reported: the stage's "compile" key, else the stage key. */
  missingCompileKeyNode(stage: StageView): Node {
    return stage.compileProp?.key ?? stage.prop.key;
  }
}

export type Rule = (ctx: RuleContext) => void;
