import type { HeaderRecord } from '../src/index.js';
import { capturedPlainEvents, jsonCdrBody } from './support.js';

const A_LEG = 'd58f6fa4-d4f6-4d30-ab94-4a78be9cac38';
const BASE_US = 1_795_387_793_356_768;

export type SyntheticCall = {
  uuid: string;
  jsonBody: Record<string, unknown>;
  hangup: HeaderRecord;
  /** Present for every 10th call (record_session). */
  recordStop: HeaderRecord | null;
  expected: {
    direction: 'INTERNAL' | 'OUTBOUND';
    fromNumber: string;
    toNumber: string;
    billsec: number;
    durationSec: number;
    hangupCause: string;
    answered: boolean;
    filePath: string | null;
  };
};

export function syntheticUuid(i: number, salt = 0): string {
  return `${salt.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

/**
 * N calls made from the captured 1001→1002 A leg (json_cdr body and
 * CHANNEL_HANGUP_COMPLETE) with their own UUID, numbers and times: a mix of
 * answered internal calls, outbound calls and unanswered ones.
 */
export function syntheticCalls(n: number, salt = 0): SyntheticCall[] {
  const events = capturedPlainEvents();
  const hangupTemplate = events.find(
    (e) => e['Event-Name'] === 'CHANNEL_HANGUP_COMPLETE' && e['Unique-ID'] === A_LEG,
  );
  const recordTemplate = events.find((e) => e['Event-Name'] === 'RECORD_STOP');
  if (!hangupTemplate || !recordTemplate) throw new Error('capture templates missing');
  const jsonTemplate = JSON.parse(jsonCdrBody('012-cdr-inbound-1001-to-1002')) as {
    variables: Record<string, string>;
    callflow: { caller_profile: Record<string, unknown>; times: Record<string, string> }[];
  };

  const calls: SyntheticCall[] = [];
  for (let i = 0; i < n; i++) {
    const uuid = syntheticUuid(i, salt);
    const outbound = i % 3 === 1;
    const answered = i % 5 !== 4;
    const from = i % 2 === 0 ? '1001' : '1002';
    const to = outbound ? `+4930${String(1_000_000 + i)}` : from === '1001' ? '1002' : '1001';
    const startUs = BASE_US + i * 7_000_000;
    const answerUs = answered ? startUs + 1_500_000 : 0;
    const billsec = answered ? (i % 90) + 1 : 0;
    const endUs = answered ? answerUs + billsec * 1_000_000 : startUs + 20_000_000;
    const s = (us: number): number => Math.floor(us / 1_000_000);
    const duration = s(endUs) - s(startUs);
    const realBillsec = answered ? s(endUs) - s(answerUs) : 0;
    const cause = answered ? 'NORMAL_CLEARING' : 'NO_ANSWER';
    const vars: Record<string, string> = {
      uuid,
      call_uuid: uuid,
      user_name: from,
      sip_from_user: from,
      start_uepoch: String(startUs),
      start_epoch: String(s(startUs)),
      answer_uepoch: String(answerUs),
      answer_epoch: String(s(answerUs)),
      end_uepoch: String(endUs),
      end_epoch: String(s(endUs)),
      duration: String(duration),
      billsec: String(realBillsec),
      hangup_cause: cause,
      bridge_uuid: answered ? syntheticUuid(i, salt + 1) : '',
      pbx_direction: outbound ? 'outbound' : 'internal',
      pbx_extension: from,
    };
    const hangup: Record<string, string | undefined> = {
      ...hangupTemplate,
      'Unique-ID': uuid,
      'Caller-Unique-ID': uuid,
      'Channel-Call-UUID': uuid,
      'Caller-Caller-ID-Number': from,
      'Caller-Caller-ID-Name': `Ext ${from}`,
      'Caller-Destination-Number': to,
      'Caller-Channel-Created-Time': String(startUs),
      'Caller-Channel-Answered-Time': String(answerUs),
      'Caller-Channel-Hangup-Time': String(endUs),
      'Hangup-Cause': cause,
    };
    for (const [k, v] of Object.entries(vars)) hangup[`variable_${k}`] = v === '' ? undefined : v;
    if (!answered) delete hangup.variable_last_bridge_to;

    const jsonVars: Record<string, string> = { ...jsonTemplate.variables };
    for (const [k, v] of Object.entries(vars)) {
      if (v === '') delete jsonVars[k];
      else jsonVars[k] = v;
    }
    if (!answered) delete jsonVars.last_bridge_to;
    const jsonBody = {
      ...jsonTemplate,
      variables: jsonVars,
      callflow: [
        {
          ...jsonTemplate.callflow[0],
          caller_profile: {
            ...jsonTemplate.callflow[0]?.caller_profile,
            uuid,
            caller_id_number: from,
            caller_id_name: `Ext ${from}`,
            destination_number: to,
          },
          times: {
            ...jsonTemplate.callflow[0]?.times,
            created_time: String(startUs),
            profile_created_time: String(startUs),
            answered_time: String(answerUs),
            bridged_time: String(answerUs),
            hangup_time: String(endUs),
          },
        },
      ],
    };
    const filePath = i % 10 === 0 ? `/var/lib/fs-01/recordings/${uuid}.wav` : null;
    const recordStop: HeaderRecord | null = filePath
      ? {
          ...recordTemplate,
          'Unique-ID': uuid,
          'Caller-Unique-ID': uuid,
          'Record-File-Path': filePath,
          variable_uuid: uuid,
          variable_record_seconds: String(realBillsec),
        }
      : null;
    calls.push({
      uuid,
      jsonBody,
      hangup,
      recordStop,
      expected: {
        direction: outbound ? 'OUTBOUND' : 'INTERNAL',
        fromNumber: from,
        toNumber: to,
        billsec: realBillsec,
        durationSec: duration,
        hangupCause: cause,
        answered,
        filePath,
      },
    });
  }
  return calls;
}

/** A deterministic shuffle (so a failure can be replayed). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
