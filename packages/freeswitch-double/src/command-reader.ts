// Reads client commands the way mod_event_socket does: lines up to a blank line (\n or \r\n), the
// first line is the command, the others are headers; Content-Length bytes of body follow if given.
export interface ClientCommand {
  command: string;
  headers: Map<string, string>;
  body: string | undefined;
}

export class CommandReader {
  private buf: Buffer = Buffer.alloc(0);
  private pendingHead: { command: string; headers: Map<string, string>; length: number } | undefined;

  push(chunk: Buffer): ClientCommand[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: ClientCommand[] = [];
    for (;;) {
      if (this.pendingHead) {
        if (this.buf.length < this.pendingHead.length) break;
        const body = this.buf.subarray(0, this.pendingHead.length).toString('utf8');
        this.buf = this.buf.subarray(this.pendingHead.length);
        out.push({ command: this.pendingHead.command, headers: this.pendingHead.headers, body });
        this.pendingHead = undefined;
        continue;
      }
      // Stray CR/LF in front of a command are discarded.
      let start = 0;
      while (start < this.buf.length && (this.buf[start] === 0x0a || this.buf[start] === 0x0d)) start++;
      if (start > 0) this.buf = this.buf.subarray(start);
      const end = findBlankLine(this.buf);
      if (end === -1) break;
      const text = this.buf.subarray(0, end.valueOf()).toString('utf8').replace(/\r/g, '');
      this.buf = this.buf.subarray(end + blankLength(this.buf, end));
      const lines = text.split('\n');
      const command = (lines.shift() ?? '').trim();
      const headers = new Map<string, string>();
      for (const line of lines) {
        const at = line.indexOf(':');
        if (at === -1) continue;
        headers.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).replace(/^ +/, ''));
      }
      const len = Number(headers.get('content-length') ?? '0');
      if (len > 0) this.pendingHead = { command, headers, length: len };
      else out.push({ command, headers, body: undefined });
    }
    return out;
  }
}

/** Index of the first line break that ends the header block (a "\n\n" ignoring \r). */
function findBlankLine(buf: Buffer): number {
  let prevNl = -2;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === 0x0d) continue;
    if (c === 0x0a) {
      if (prevNl !== -2) return prevNl;
      prevNl = i;
    } else prevNl = -2;
  }
  return -1;
}

function blankLength(buf: Buffer, at: number): number {
  // Skip the first \n, any \r, and the second \n.
  let i = at + 1;
  while (i < buf.length && buf[i] === 0x0d) i++;
  return i + 1 - at;
}
