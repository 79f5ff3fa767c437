// One inbound event-socket connection to the double (a controller connecting to port 8021).
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { CommandReader, type ClientCommand } from './command-reader.js';
import type { FsEvent } from './fs-event.js';
import { apiResponse, authRequest, commandReply, disconnectNotice, eventFrame } from './frames.js';
import type { SessionHost } from './session-host.js';
import { Subscriptions } from './subscriptions.js';
import { WireSocket } from './wire-socket.js';

export class InboundSession {
  readonly wire: WireSocket;
  readonly subs = new Subscriptions();
  private authed = false;
  private readonly reader = new CommandReader();
  /** Every command line received, for tests (e.g. counting subscriptions after reconnects). */
  readonly commands: string[] = [];

  constructor(
    socket: Socket,
    private readonly host: SessionHost,
  ) {
    this.wire = new WireSocket(socket, host.faults);
    if (host.faults.dead) {
      // A hung node: the TCP handshake succeeds, nothing else ever happens.
      socket.on('data', () => undefined);
      return;
    }
    void this.wire.write(authRequest());
    socket.on('data', (chunk: Buffer) => {
      for (const cmd of this.reader.push(chunk)) this.handle(cmd);
    });
  }

  deliver(ev: FsEvent): void {
    if (!this.authed || this.wire.closed || !this.subs.wants(ev)) return;
    void this.wire.write(eventFrame(ev, this.subs.format === 'json' ? 'json' : 'plain'), 'event');
  }

  private reply(text: string, extra: ReadonlyArray<readonly [string, string]> = []): void {
    void this.wire.write(commandReply(text, extra), 'reply');
  }

  private bye(): void {
    this.reply('+OK bye');
    void this.wire.write(disconnectNotice());
    void this.wire.end();
  }

  private handle(c: ClientCommand): void {
    const line = c.command;
    this.commands.push(line);
    if (this.host.faults.dead) return;
    if (this.host.faults.ignoreCommands && !line.startsWith('auth ')) return;
    const sp = line.indexOf(' ');
    const word = sp === -1 ? line : line.slice(0, sp);
    const rest = sp === -1 ? '' : line.slice(sp + 1);
    if (word.startsWith('exit') || word.startsWith('...')) return this.bye();
    if (!this.authed) {
      if (word === 'auth') {
        if (rest === this.host.password && !this.host.faults.refuseAuth) {
          this.authed = true;
          this.reply('+OK accepted');
        } else {
          this.reply('-ERR invalid');
          void this.wire.write(disconnectNotice());
          void this.wire.end();
        }
        return;
      }
      return this.reply('-ERR command not found');
    }
    switch (word) {
      case 'event':
        return this.reply(this.subs.event(rest.split(/\s+/).filter(Boolean)));
      case 'nixevent':
        return this.reply(this.subs.nix(rest.split(/\s+/).filter(Boolean)));
      case 'noevents':
        return this.reply(this.subs.clear());
      case 'filter':
        return this.reply(this.subs.filter(rest));
      case 'linger':
      case 'nolinger':
        return this.reply('-ERR not controlling a session');
      case 'api':
        if (!rest) return this.reply('-ERR command not found');
        return this.api(rest);
      case 'bgapi': {
        if (!rest) return this.reply('-ERR command not found');
        const job = c.headers.get('job-uuid') ?? randomUUID();
        this.reply(`+OK Job-UUID: ${job}`, [['Job-UUID', job]]);
        this.host.runBgapi(rest, job, undefined);
        return;
      }
      case 'sendmsg':
        return this.reply(
          this.host.sendmsg(rest.trim() || c.headers.get('session-id') || '', c.headers, c.body),
        );
      case 'sendevent':
        if (!rest) return this.reply('-ERR command not found');
        return this.reply(this.host.sendevent(rest.trim(), c.headers));
      default:
        return this.reply('-ERR command not found');
    }
  }

  private api(line: string): void {
    const result = this.host.runApi(line);
    void this.wire.write(apiResponse(result.body), 'reply');
    this.host.apiEvent(line);
    result.after?.();
  }
}
