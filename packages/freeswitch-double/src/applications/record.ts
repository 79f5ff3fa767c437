// `record <path> [<max_sec>]` and `record_session <path>`: RECORD_START / RECORD_STOP and the record_* variables.
import type { Channel } from '../channel.js';
import { sleep, type AppHandler } from './types.js';

export const record: AppHandler = async (rt, req, signal) => {
  const [path = '', limit] = req.data.split(' ');
  rt.channelEvent('RECORD_START', { after: [['Record-File-Path', path]] });
  const started = Date.now();
  await sleep(limit ? Number(limit) * 1000 : rt.sw.timing.recordMs, signal);
  recordVars(rt.ch, Date.now() - started);
  rt.channelEvent('RECORD_STOP', { after: [['Record-File-Path', path]] });
};

export const recordSession: AppHandler = (rt, req) => {
  rt.startRecordSession(req.data.split(' ')[0] ?? req.data);
};

/** The variables a finished recording leaves (record_seconds, record_ms, record_samples). */
export function recordVars(ch: Channel, ms: number): void {
  const v = ch.vars;
  v.set('record_seconds', String(Math.floor(ms / 1000)));
  v.set('record_ms', String(ms));
  v.set('record_samples', String(Math.round(ms * 8)));
}
