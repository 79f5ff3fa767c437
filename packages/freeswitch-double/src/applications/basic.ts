// The small applications: answer, set, hangup, sleep, transfer, park.
import { sleep, type AppHandler } from './types.js';

export const answer: AppHandler = (rt) => rt.answer();

export const set: AppHandler = (rt, req) => {
  const at = req.data.indexOf('=');
  if (at > 0) rt.ch.vars.set(req.data.slice(0, at), req.data.slice(at + 1));
};

export const hangup: AppHandler = (rt, req) => rt.beginHangup(req.data || 'NORMAL_CLEARING');

export const sleepApp: AppHandler = (_rt, req, signal) => sleep(Number(req.data) || 0, signal);

export const transfer: AppHandler = (rt, req) => {
  const [dest] = req.data.split(' ');
  rt.ch.profile = { ...rt.ch.profile, destinationNumber: dest ?? rt.ch.profile.destinationNumber };
  rt.ch.times.bridged = rt.ch.times.bridged || 0;
};

export const park: AppHandler = () => undefined;
