// The API event every api/bgapi call raises, and the BACKGROUND_JOB carrying a bgapi's result
// (mod_event_socket.c api_exec).
import { ORIGINS, type EventFactory, type FsEvent } from './fs-event.js';

const split = (line: string): [string, string | undefined] => {
  const sp = line.indexOf(' ');
  return sp === -1 ? [line, undefined] : [line.slice(0, sp), line.slice(sp + 1)];
};

export function apiEvent(factory: EventFactory, line: string): FsEvent {
  const [cmd, arg] = split(line);
  const e = factory.create('API', ORIGINS.API);
  e.add('API-Command', cmd);
  e.add('API-Command-Argument', arg);
  return e;
}

export function backgroundJobEvent(
  factory: EventFactory,
  line: string,
  jobUuid: string,
  ownerUuid: string | undefined,
  body: string,
): FsEvent {
  const [cmd, arg] = split(line);
  const e = factory.create('BACKGROUND_JOB', ORIGINS.BACKGROUND_JOB);
  e.add('Job-UUID', jobUuid);
  e.add('Job-Owner-UUID', ownerUuid);
  e.add('Job-Command', cmd);
  e.add('Job-Command-Arg', arg);
  e.body = body;
  return e;
}
