// Splits a text stream into lines with bounded memory: a line longer than `maxLine` is cut into pieces
// (a 100 MB single-line log must not be held whole). Handles \n, \r\n and a lone \r (progress bars).
// A line starting with `keepWhole.prefix` (a driver event) is kept whole up to `keepWhole.max`: cutting
// it would lose the event. Each chunk is scanned once: a long line costs linear time.
export interface KeepWhole { prefix: string; max: number }

export class LineSplitter {
  private parts: string[] = [];
  private length = 0;
  /** The first characters of the current line, up to the prefix's length. */
  private head = '';
  /** The previous chunk ended in \r: a \n starting this one belongs to that line break. */
  private afterCr = false;

  constructor(private readonly onLine: (line: string) => void, private readonly maxLine = 64 * 1024, private readonly keepWhole?: KeepWhole) {}

  push(chunk: string): void {
    if (this.afterCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.afterCr = chunk.endsWith('\r');
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10 || c === 13) {
        this.add(chunk.slice(start, i));
        this.emit();
        if (c === 13 && chunk.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    }
    this.add(chunk.slice(start));
  }

  end(): void {
    if (this.length) this.emit();
  }

  private add(piece: string): void {
    if (!piece) return;
    this.parts.push(piece);
    this.length += piece.length;
    const want = this.keepWhole?.prefix.length ?? 0;
    if (this.head.length < want) this.head += piece.slice(0, want - this.head.length);
    const limit = this.limit();
    while (this.length > limit) {
      const text = this.parts.join('');
      this.onLine(text.slice(0, limit));
      this.parts = [text.slice(limit)];
      this.length -= limit;
    }
  }

  /** The longest piece the pending line may grow to before it is cut. */
  private limit(): number {
    const k = this.keepWhole;
    if (!k) return this.maxLine;
    const couldBeEvent = k.prefix.startsWith(this.head);
    return couldBeEvent ? Math.max(k.max, this.maxLine) : this.maxLine;
  }

  private emit(): void {
    const line = this.parts.join('');
    this.parts = [];
    this.length = 0;
    this.head = '';
    this.onLine(line);
  }
}
