// The scripted caller behind a DoubleCall: what the controller made the channel do (applications started, files
// played) and what the caller does in answer (digits, speech into a recording, hang-up), driven by the channel's
// own events so that tests never depend on timing.
import type { Speech } from './applications/types.js';
import type { CallRuntime } from './engine.js';
import type { FsEvent } from './fs-event.js';

/** One application the channel started (CHANNEL_EXECUTE), the `socket` app included. */
export interface AppStart {
  app: string;
  data: string;
  /** 0-based position among every application the call started. */
  index: number;
  /** 1-based count among the applications of the same name. */
  nth: number;
}

/** An application name, or a predicate over the start. */
export type AppMatch = string | ((a: AppStart) => boolean);

/** A scripted step: when the matching application starts, the caller presses digits and/or hangs up. */
export interface ScriptStep {
  on: AppMatch;
  press?: string;
  hangup?: boolean;
}

const matches = (m: AppMatch, a: AppStart) => (typeof m === 'string' ? a.app === m : m(a));

export class ScriptedCaller {
  readonly apps: AppStart[] = [];
  readonly played: string[] = [];
  private readonly watchers = new Set<(a: AppStart) => void>();
  private readonly playWatchers = new Set<(file: string, nth: number) => void>();
  private ended = false;
  private readonly endWatchers = new Set<() => void>();

  constructor(private readonly rt: CallRuntime) {
    rt.taps.add((ev) => this.onEvent(ev));
    void rt.done.then(() => {
      this.ended = true;
      for (const w of this.endWatchers) w();
    });
  }

  private onEvent(ev: FsEvent): void {
    if (ev.name === 'PLAYBACK_START') {
      const file = ev.get('Playback-File-Path') ?? '';
      this.played.push(file);
      const nth = this.played.filter((f) => f === file).length;
      queueMicrotask(() => {
        for (const w of [...this.playWatchers]) w(file, nth);
      });
    }
    if (ev.name !== 'CHANNEL_EXECUTE') return;
    const app = ev.get('Application') ?? '';
    const start: AppStart = {
      app,
      data: ev.get('Application-Data') ?? '',
      index: this.apps.length,
      nth: this.apps.filter((a) => a.app === app).length + 1,
    };
    this.apps.push(start);
    // The caller reacts once the application is running (its prompt has started), as a person would.
    queueMicrotask(() => {
      for (const w of [...this.watchers]) w(start);
    });
  }

  /** Calls `handler` each time a matching application starts; returns the unsubscribe. */
  onApp(match: AppMatch, handler: (a: AppStart) => void): () => void {
    const w = (a: AppStart) => {
      if (matches(match, a)) handler(a);
    };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  /** The first matching application the call started or will start; rejects if the call ends first. */
  waitForApp(name: string, predicate: (a: AppStart) => boolean = () => true): Promise<AppStart> {
    const m = (a: AppStart) => a.app === name && predicate(a);
    const seen = this.apps.find(m);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const onEnd = () => {
        off();
        reject(
          new Error(
            `the call ended before ${name} started (apps: ${this.apps.map((a) => a.app).join(', ')})`,
          ),
        );
      };
      const off = this.onApp(m, (a) => {
        off();
        this.endWatchers.delete(onEnd);
        resolve(a);
      });
      if (this.ended) onEnd();
      else this.endWatchers.add(onEnd);
    });
  }

  /** Presses `digits` when the next matching application starts. */
  pressOn(match: AppMatch, digits: string): void {
    this.script([{ on: match, press: digits }]);
  }

  /** Hangs up (BYE) when the next matching application starts. */
  hangupOn(match: AppMatch): void {
    this.script([{ on: match, hangup: true }]);
  }

  /** Steps run in order: each waits for its own application to start after the previous step acted. */
  script(steps: readonly ScriptStep[]): void {
    const [step, ...rest] = steps;
    if (!step) return;
    const off = this.onApp(step.on, () => {
      off();
      for (const d of step.press ?? '') this.rt.press(d);
      if (step.hangup) this.rt.hangup('NORMAL_CLEARING', true);
      this.script(rest);
    });
  }

  /**
   * Presses `digits` when a matching file starts playing (a prompt inside play_and_get_digits included):
   * `file` is the path as played, `nth` the 1-based count of that path's playbacks.
   */
  pressOnPlayback(file: string, digits: string, nth = 1): void {
    const w = (f: string, n: number) => {
      if (f !== file || n !== nth) return;
      this.playWatchers.delete(w);
      for (const d of digits) this.rt.press(d);
    };
    this.playWatchers.add(w);
  }

  /** What the caller says into the coming recordings, in order. */
  says(...speech: Speech[]): void {
    this.rt.speech.push(...speech);
  }
}
