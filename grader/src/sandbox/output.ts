import { StringDecoder } from 'node:string_decoder';

/**
 * Collects a stream's text up to a byte budget. Past the budget it keeps counting but not
 * storing, so a student printing gigabytes neither fills memory nor fails the run; the text
 * ends with a marker saying how much was dropped.
 */
export class BoundedText {
  private chunks: string[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(private readonly limitBytes: number) {}

  append(chunk: Buffer | string): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const room = this.limitBytes - this.kept;
    if (room <= 0) {
      this.dropped += buffer.length;
      return;
    }
    const keep = buffer.subarray(0, room);
    this.chunks.push(keep.toString('utf8'));
    this.kept += keep.length;
    this.dropped += buffer.length - keep.length;
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  text(): string {
    const body = this.chunks.join('');
    return this.dropped > 0 ? `${body}\n… [output truncated: ${this.dropped} more bytes]` : body;
  }
}

/** Shortens a string to `limit` characters with the same kind of marker. */
export function truncateText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n… [truncated: ${text.length - limit} more characters]`;
}

/**
 * Captures one of the child's output streams call by call. Output and the IPC result travel
 * on different pipes, so the result can arrive before the last output; the child therefore
 * writes a per-call marker after the call returns, and the capture of that call is complete
 * once the marker has been seen (pipes keep order). The marker is removed from the text.
 */
export class CallCapture {
  private text: BoundedText;
  private decoder = new StringDecoder('utf8');
  private marker: string | undefined;
  private carry = '';
  private seen: (() => void) | undefined;

  constructor(private readonly limitBytes: number) {
    this.text = new BoundedText(limitBytes);
  }

  /** Starts a new call's capture, complete when `marker` arrives (if given). */
  begin(marker?: string): void {
    this.text = new BoundedText(this.limitBytes);
    this.marker = marker;
    this.carry = '';
  }

  push(chunk: Buffer): void {
    const data = this.carry + this.decoder.write(chunk);
    this.carry = '';
    const marker = this.marker;
    if (!marker) {
      this.text.append(data);
      return;
    }
    const at = data.indexOf(marker);
    if (at >= 0) {
      this.text.append(data.slice(0, at) + data.slice(at + marker.length));
      this.marker = undefined;
      this.seen?.();
      return;
    }
    // Keep a possible start of the marker for the next chunk.
    const keep = Math.min(data.length, marker.length - 1);
    this.text.append(data.slice(0, data.length - keep));
    this.carry = data.slice(data.length - keep);
  }

  /** Resolves when the marker has arrived, or after `timeoutMs` (a child may never write it). */
  settled(timeoutMs: number): Promise<void> {
    if (!this.marker) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.seen = done;
    });
  }

  /** The text so far, without ending the capture. */
  peek(): string {
    return this.text.text() + this.carry;
  }

  result(): string {
    const pending = this.carry;
    this.carry = '';
    if (pending) this.text.append(pending);
    return this.text.text();
  }
}
