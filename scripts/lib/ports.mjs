// Is a port we are about to listen on taken, and by whom? Used by `npm start` to say
// "already running" in one line instead of letting an app die with EADDRINUSE.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';

/** Resolves to the error code of binding host:port (EADDRINUSE, EACCES, ...) or null when it is free. */
export function bindError(host, port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error) => resolve(error.code ?? String(error)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(null)));
  });
}

/**
 * The process listening on a TCP port, as "pid 123 (node apps/api/dist/main.js)", or undefined when
 * it cannot be told (not Linux, or a process of another user). Reads /proc: the socket's inode
 * from /proc/net/tcp{,6}, then the process holding a descriptor to it.
 */
export function listenerOf(port) {
  try {
    const inodes = new Set();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      let text = '';
      try {
        text = readFileSync(table, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN; the inode is column 10.
        if (cols.length < 10 || cols[3] !== '0A') continue;
        if (parseInt(cols[1].split(':').pop() ?? '', 16) === port) inodes.add(cols[9]);
      }
    }
    if (inodes.size === 0) return undefined;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let fds = [];
      try {
        fds = readdirSync(`/proc/${pid}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        let target = '';
        try {
          target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          continue;
        }
        const m = /^socket:\[(\d+)\]$/.exec(target);
        if (m && inodes.has(m[1])) {
          const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
          return `pid ${pid} (${cmd.length > 80 ? `${cmd.slice(0, 77)}...` : cmd})`;
        }
      }
    }
  } catch {
    // Best effort only: the port number alone still tells the user what is wrong.
  }
  return undefined;
}
