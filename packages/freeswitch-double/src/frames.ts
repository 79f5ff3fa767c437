// Frames exactly as mod_event_socket writes them. Each frame is returned as [header, body?] because
// FreeSWITCH writes the header block and the body with two separate send() calls.
import type { FsEvent } from './fs-event.js';

export type Frame = [Buffer] | [Buffer, Buffer];

const b = (s: string) => Buffer.from(s, 'utf8');

export const GOODBYE = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';

export function authRequest(): Frame {
  return [b('Content-Type: auth/request\n\n')];
}

export function commandReply(text: string, extra: ReadonlyArray<readonly [string, string]> = []): Frame {
  let s = `Content-Type: command/reply\nReply-Text: ${text}\n`;
  for (const [n, v] of extra) s += `${n}: ${v}\n`;
  return [b(s + '\n')];
}

export function apiResponse(body: string): Frame {
  const payload = b(body);
  return [b(`Content-Type: api/response\nContent-Length: ${payload.length}\n\n`), payload];
}

/** Events put Content-Length first (mod_event_socket.c:1441). */
export function eventFrame(event: FsEvent, format: 'plain' | 'json'): Frame {
  const payload = format === 'json' ? event.toJson() : event.toPlain();
  return [b(`Content-Length: ${payload.length}\nContent-Type: text/event-${format}\n\n`), payload];
}

export function disconnectNotice(
  extra: ReadonlyArray<readonly [string, string]> = [],
  body = GOODBYE,
): Frame {
  let s = 'Content-Type: text/disconnect-notice\n';
  for (const [n, v] of extra) s += `${n}: ${v}\n`;
  const payload = b(body);
  return [b(`${s}Content-Length: ${payload.length}\n\n`), payload];
}

/** The linger notice: no body, Content-Length: 0 last. */
export function lingerNotice(uuid: string, channelName: string, lingerTime: number): Frame {
  return [
    b(
      `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${uuid}\nContent-Disposition: linger\nChannel-Name: ${channelName}\nLinger-Time: ${lingerTime}\nContent-Length: 0\n\n`,
    ),
  ];
}
