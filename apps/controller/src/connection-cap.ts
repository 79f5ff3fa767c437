import type { Server, Socket } from 'node:net';

/**
 * Limits the connections one remote address may hold open on `server`: a connection beyond `max` is destroyed as
 * soon as it is accepted, before node:http reads a byte of it. One client (a scanner, a flood of half-sent
 * requests) then cannot take every file descriptor, while other addresses (FreeSWITCH nodes) keep being served.
 */
export function capConnectionsPerAddress(
  server: Server,
  max: number,
  onRefused: (address: string) => void = () => {},
): { openFrom: (address: string) => number } {
  const open = new Map<string, number>();
  // One listener shared by every socket (mod_xml_curl opens a connection per lookup: no closure per connection).
  // The address was read (and so cached by net.Socket) on accept, so it is still known after the close.
  function closed(this: Socket): void {
    const address = this.remoteAddress;
    if (address === undefined) return;
    const left = (open.get(address) ?? 1) - 1;
    if (left <= 0) open.delete(address);
    else open.set(address, left);
  }
  server.on('connection', (socket: Socket) => {
    // A socket whose peer is already gone has no address; it closes by itself.
    const address = socket.remoteAddress;
    if (address === undefined) return;
    const n = open.get(address) ?? 0;
    if (n >= max) {
      socket.destroy();
      onRefused(address);
      return;
    }
    open.set(address, n + 1);
    socket.on('close', closed);
  });
  return { openFrom: (address) => open.get(address) ?? 0 };
}
