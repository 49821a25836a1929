// Splits a text stream into lines with bounded memory: a line longer than `maxLine` is cut into pieces
// (a 100 MB single-line log must not be held whole). Handles \n, \r\n and a lone \r (progress bars).
export class LineSplitter {
  private pending = '';
  /** The previous chunk ended in \r: a \n starting this one belongs to that line break. */
  private afterCr = false;

  constructor(private readonly onLine: (line: string) => void, private readonly maxLine = 64 * 1024) {}

  push(chunk: string): void {
    if (this.afterCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.afterCr = chunk.endsWith('\r');
    let text = this.pending + chunk;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        this.onLine(text.slice(start, i));
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    }
    text = text.slice(start);
    while (text.length > this.maxLine) {
      this.onLine(text.slice(0, this.maxLine));
      text = text.slice(this.maxLine);
    }
    this.pending = text;
  }

  end(): void {
    if (this.pending) this.onLine(this.pending);
    this.pending = '';
  }
}
