// The api commands a PBX controller uses, with FreeSWITCH 1.10's exact output.
import type { ApiHost, ApiResult } from './api-host.js';
import { showApi } from './api-show.js';
import { sofiaStatusReg } from './registrations.js';
import { xmlFlushCache } from './user-cache.js';

export type { ApiHost, ApiResult } from './api-host.js';

function status(host: ApiHost): string {
  let ms = Date.now() - host.startedAt;
  const days = Math.floor(ms / 86_400_000);
  ms -= days * 86_400_000;
  const hours = Math.floor(ms / 3_600_000);
  ms -= hours * 3_600_000;
  const minutes = Math.floor(ms / 60_000);
  ms -= minutes * 60_000;
  const seconds = Math.floor(ms / 1000);
  ms -= seconds * 1000;
  const n = host.calls().length;
  return (
    `UP 0 years, ${days} days, ${hours} hours, ${minutes} minutes, ${seconds} seconds, ${ms} milliseconds, 0 microseconds\n` +
    `FreeSWITCH (Version 1.10.12-release git cc93a68 2026-08-21 14:10:14Z 64bit) is ready\n` +
    `${host.sessionsSinceStartup()} session(s) since startup\n` +
    `${n} session(s) - peak ${n}, last 5min ${n} \n` +
    `0 session(s) per Sec out of max 200, peak 0, last 5min 0 \n` +
    `2000 session(s) max\n` +
    `min idle cpu 0.00/100.00\n` +
    `Current Stack Size/Max 240K/8192K\n`
  );
}

function sofiaStatus(host: ApiHost): string {
  const rule = '='.repeat(97);
  let out = `${'Name'.padStart(25)}\t${'Type'.padStart(7)}\t${'Data'.padStart(42)}\tState\n${rule}\n`;
  const profiles = host.profiles();
  for (const p of profiles) {
    out += `${p.name.padStart(25)}\t${'profile'.padStart(7)}\t${`sip:mod_sofia@127.0.0.1:${p.port}`.padStart(42)}\tRUNNING (0)\n`;
  }
  return `${out}${rule}\n${profiles.length} profiles 0 aliases\n`;
}

/** `sofia status gateway [<name>]`: one line per gateway (columns as mod_sofia.c prints them, simplified). */
function sofiaStatusGateway(host: ApiHost, name: string | undefined): string {
  const rule = '='.repeat(97);
  const rows = [...host.trunks.gateways.values()].filter((g) => !name || g.name === name);
  if (name && rows.length === 0) return 'Invalid Gateway!\n';
  let out = `${'Profile::Gateway-Name'.padStart(25)}\t${'Data'.padStart(32)}\t${'State'.padStart(6)}\t${'Ping Time'.padStart(6)}\t${'IB Calls(F/T)'}\t${'OB Calls(F/T)'}\n${rule}\n`;
  for (const g of rows)
    out += `${`${g.profile}::${g.name}`.padStart(25)}\t${`sip:${g.params.username ?? 'FreeSWITCH'}@${g.params.proxy ?? ''}`.padStart(32)}\t${g.state.padStart(6)}\t${'0.00'.padStart(6)}\t0/0\t0/0\n`;
  return `${out}${rule}\n${rows.length} gateway${rows.length === 1 ? '' : 's'}: Inbound(Failed/Total): 0/0,Outbound(Failed/Total):0/0\n`;
}

/** Runs one api command line. */
export function runApi(host: ApiHost, line: string): ApiResult {
  const trimmed = line.trim();
  const sp = trimmed.indexOf(' ');
  const cmd = sp === -1 ? trimmed : trimmed.slice(0, sp);
  const arg = sp === -1 ? '' : trimmed.slice(sp + 1).trim();
  const args = arg.split(/\s+/).filter(Boolean);
  const find = (uuid: string | undefined) => host.calls().find((c) => c.uuid === uuid);
  switch (cmd) {
    case 'status':
      return { body: status(host) };
    case 'show':
      return showApi(host, arg);
    case 'uuid_kill': {
      const c = find(args[0]);
      if (!c) return { body: '-ERR No such channel!\n' };
      return { body: '+OK\n', after: () => c.hangup(args[1] ?? 'NORMAL_CLEARING') };
    }
    case 'uuid_break': {
      // mod_commands.c break_function: sets CF_BREAK, which stops the running playback / record / sleep.
      if (!args[0]) return { body: '-USAGE: <uuid> [all]\n' };
      const c = find(args[0]);
      if (!c) return { body: '-ERR No such channel!\n' };
      return { body: '+OK\n', after: () => c.breakMedia() };
    }
    case 'uuid_exists':
      return { body: find(args[0]) ? 'true' : 'false' };
    case 'uuid_getvar': {
      const c = find(args[0]);
      if (!c) return { body: '-ERR No such channel!\n' };
      return { body: c.ch.vars.get(args[1] ?? '') ?? '_undef_' };
    }
    case 'global_getvar': {
      const v = host.globalVars.get(arg);
      return { body: v ?? '-ERR no reply\n' };
    }
    case 'sofia': {
      if (args[0] === 'status' && args.length === 1) return { body: sofiaStatus(host) };
      if (args[0] === 'status' && args[1] === 'profile' && args[3] === 'reg') {
        const profile = args[2] ?? '';
        const regs = host.registrations().filter((r) => r.profile === profile);
        return { body: sofiaStatusReg(regs, host.hostname, Math.floor(Date.now() / 1000), args[4]) };
      }
      if (args[0] === 'profile' && args[2] === 'flush_inbound_reg') {
        // mod_sofia.c `sofia profile … flush_inbound_reg [<call-id>|<user@host>] [reboot]`.
        const profile = args[1] ?? '';
        if (!host.profiles().some((p) => p.name === profile)) return { body: `Invalid Profile [${profile}]` };
        const target = args[3] === 'reboot' ? undefined : args[3];
        const verb = args.includes('reboot') ? 'rebooting' : 'flushing';
        host.flushInboundReg(profile, target);
        return {
          body: target
            ? `+OK ${verb} all registrations matching specified call_id\n`
            : `+OK ${verb} all registrations\n`,
        };
      }
      if (args[0] === 'profile' && (args[2] === 'startgw' || args[2] === 'killgw')) {
        const profile = args[1] ?? '';
        if (!host.profiles().some((p) => p.name === profile)) return { body: `Invalid Profile [${profile}]` };
        if (!args[3]) return { body: '-ERR missing gateway name\n' };
        return {
          body: args[2] === 'killgw' ? host.trunks.kill(args[3]) : host.trunks.start(profile, args[3]),
        };
      }
      if (args[0] === 'status' && args[1] === 'gateway') return { body: sofiaStatusGateway(host, args[2]) };
      return { body: '-ERR Usage: sofia status [profile <name> reg [<filter>]]\n' };
    }
    case 'xml_flush_cache':
      return { body: xmlFlushCache(host.userCache, arg) };
    case 'sofia_contact': {
      const m = /^(?:[^/]*\/)?([^@]+)@(.+)$/.exec(arg);
      const r = m ? host.registrations().find((x) => x.user === m[1] && x.domain === m[2]) : undefined;
      return {
        body: r
          ? `sofia/${r.profile}/sip:${r.user}@${r.contactHost}:${r.contactPort}`
          : 'error/user_not_registered',
      };
    }
    default:
      return { body: `-ERR ${cmd} Command not found!\n` };
  }
}
