// One pending run per document: a newer change replaces the scheduled run (the check is of the latest text).
export class PerDocumentDebounce {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  schedule(key: string, delay: number, run: () => void): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      run();
    }, delay));
  }

  cancel(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
