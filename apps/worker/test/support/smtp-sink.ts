import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

export type Received = { mail: ParsedMail; envelopeTo: string[]; raw: Buffer };

export type SinkOptions = {
  port?: number;
  /** Answer RCPT TO for these addresses with 550 (a permanent rejection). */
  rejectRecipients?: string[];
  /** Called once the whole DATA is read, before the server answers; resolve to answer 250. */
  beforeAccept?: (raw: Buffer) => Promise<void>;
  /** Keep raw bodies only (benchmarks): no parsing. */
  parse?: boolean;
};

/** A real SMTP server (the `smtp-server` package) on 127.0.0.1, collecting what it accepts. */
export class SmtpSink {
  readonly received: Received[] = [];
  accepted = 0;
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(options: SinkOptions = {}): Promise<SmtpSink> {
    const holder: { sink?: SmtpSink } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // Pooled clients keep connections open: closing the sink drops them rather than waiting 30 s.
      closeTimeout: 50,
      size: 100 * 1024 * 1024,
      onRcptTo(address, _session, callback) {
        if (options.rejectRecipients?.includes(address.address)) {
          const error = Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 });
          callback(error);
          return;
        }
        callback();
      },
      onData(stream: SMTPServerDataStream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          const accept = async () => {
            if (options.beforeAccept) await options.beforeAccept(raw);
            const sink = holder.sink;
            if (!sink) throw new Error('sink not ready');
            sink.accepted++;
            const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
            if (options.parse !== false)
              sink.received.push({ mail: await simpleParser(raw), envelopeTo, raw });
          };
          accept().then(
            () => callback(null, 'queued as test'),
            (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
          );
        });
      },
    });
    server.listen(options.port ?? 0, '127.0.0.1');
    await once(server.server, 'listening');
    const sink = new SmtpSink(server, (server.server.address() as AddressInfo).port);
    holder.sink = sink;
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
