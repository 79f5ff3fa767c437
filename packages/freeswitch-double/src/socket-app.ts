// The dialplan's `socket` application on a channel: its CHANNEL_EXECUTE when it takes control, and its
// CHANNEL_EXECUTE_COMPLETE when the call hangs up or the controller closes the socket.
import { randomUUID } from 'node:crypto';
import type { Channel } from './channel.js';
import type { Header } from './fs-event.js';

interface SocketChannel {
  readonly ch: Channel;
  channelEvent(name: string, o?: { after?: Header[] }): void;
}

/** Fires the socket app's CHANNEL_EXECUTE; returns its Application-UUID. */
export function startSocketApp(rt: SocketChannel, data: string): string {
  const appUuid = randomUUID();
  const v = rt.ch.vars;
  v.set('current_application_data', data);
  v.set('current_application', 'socket');
  rt.channelEvent('CHANNEL_EXECUTE', {
    after: [
      ['Application', 'socket'],
      ['Application-Data', data],
      ['Application-UUID', appUuid],
    ],
  });
  v.set('current_application_data', data);
  v.set('current_application', 'socket');
  v.set('socket_host', data.split(/[: ]/)[0] ?? '');
  rt.ch.socketApp = { data };
  return appUuid;
}

/** Fires the socket app's CHANNEL_EXECUTE_COMPLETE once; false if it had already completed. */
export function completeSocketApp(rt: SocketChannel, appUuid: string | undefined): boolean {
  const app = rt.ch.socketApp;
  if (!app) return false;
  rt.ch.socketApp = undefined;
  rt.channelEvent('CHANNEL_EXECUTE_COMPLETE', {
    after: [
      ['Application', 'socket'],
      ['Application-Data', app.data],
      // The socket app reports whatever response the last app left behind.
      ['Application-Response', rt.ch.vars.get('current_application_response') ?? '_none_'],
      ['Application-UUID', appUuid ?? randomUUID()],
    ],
  });
  return true;
}
