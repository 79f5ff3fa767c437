// What a voicemail session asks of the call, over the @pbx/esl outbound adapter: prompt sequences, single keys,
// digit strings and recordings. Kept here rather than in the adapter (owned by the IVR work).
import { EslDisconnectedError, EslHangupError, EslNotConnectedError, type OutboundCall } from '@pbx/esl';
import type { MediaLayout, PromptName } from '@pbx/media';

/** A built-in prompt by name, or a file / tone_stream to play as is. */
export type Sound = PromptName | { file: string };

/** Errors that only mean "the caller has gone": the session ends quietly. */
export function isCallGone(call: OutboundCall, err: unknown): boolean {
  return (
    call.hasEnded ||
    err instanceof EslHangupError ||
    err instanceof EslNotConnectedError ||
    err instanceof EslDisconnectedError
  );
}

export type Recorded = {
  /** `record_ms` as FreeSWITCH reports it; undefined when the call vanished before the app completed. */
  ms: number | undefined;
};

export class VoicemailIo {
  constructor(
    readonly call: OutboundCall,
    private readonly media: MediaLayout,
  ) {}

  /** One playback of several files: FreeSWITCH's `file_string://a!b!c` (paths are ours: UUIDs and prompt names). */
  sequence(sounds: readonly Sound[]): string {
    const paths = sounds.map((s) => (typeof s === 'string' ? this.media.prompt(s) : s.file));
    return paths.length === 1 ? (paths[0] ?? '') : `file_string://${paths.join('!')}`;
  }

  async play(sounds: readonly Sound[]): Promise<void> {
    if (sounds.length > 0) await this.call.playback(this.sequence(sounds));
  }

  /** One menu key (digits, `*` or `#`); '' when the caller pressed nothing after `tries` prompts. */
  async key(sounds: readonly Sound[], tries = 3): Promise<string> {
    const r = await this.call.playAndGetDigits({
      min: 1,
      max: 1,
      tries,
      timeoutMs: 5000,
      terminators: 'none',
      file: this.sequence(sounds),
      regexp: '[0-9*#]',
    });
    return r.result === 'success' ? r.digits : '';
  }

  /** Digits ended by `#` (a box number, a PIN); '' on time-out or input that does not match. */
  async digits(sounds: readonly Sound[], min: number, max: number, tries = 1): Promise<string> {
    const r = await this.call.playAndGetDigits({
      min,
      max,
      tries,
      timeoutMs: 7000,
      terminators: '#',
      file: this.sequence(sounds),
      regexp: `\\d{${min},${max}}`,
    });
    return r.result === 'success' ? r.digits : '';
  }

  /**
   * Records until `#`, 5 s of silence or `limitSec` (FreeSWITCH's `record`; `#` set as the only terminator,
   * mod_dptools' default being `*`). A caller who hangs up ends the recording and keeps what was said: this then
   * resolves rather than throws.
   */
  async record(path: string, limitSec: number): Promise<Recorded> {
    try {
      await this.call.execute('set', 'playback_terminators=#');
      const done = await this.call.execute('record', `${path} ${Math.trunc(limitSec)} 200 5`);
      const ms = Number(done.rawHeaders.variable('record_ms'));
      return { ms: Number.isFinite(ms) ? ms : undefined };
    } catch (err) {
      if (isCallGone(this.call, err)) return { ms: undefined };
      throw err;
    }
  }
}
