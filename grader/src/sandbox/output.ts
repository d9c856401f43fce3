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
