import { Writable } from 'node:stream';

/** Captures every log line a process writes, so tests can assert what never appears in them. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    callback();
  }

  text(): string {
    return this.lines.join('\n');
  }

  /** Lines that contain any of the needles (case-sensitive). */
  containing(...needles: string[]): string[] {
    return this.lines.filter((line) => needles.some((n) => n && line.includes(n)));
  }
}
