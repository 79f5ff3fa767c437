import type { CallRuntime } from './engine.js';
import type { EventFactory, FsEvent, NodeIdentity } from './fs-event.js';
import type { Registration } from './registrations.js';

export interface Timing {
  /** How long a playback / tone / prompt lasts. */
  playbackMs: number;
  /** How long the far end of `bridge` rings before answering. */
  bridgeAnswerMs: number;
  /** HEARTBEAT interval; 0 = only when asked. */
  heartbeatMs: number;
  /** Recording length when `record` has no limit and the caller does not hang up. */
  recordMs: number;
}

/** What the call engine needs from the switch (kept small to avoid a dependency cycle). */
export interface SwitchContext {
  readonly identity: NodeIdentity;
  readonly factory: EventFactory;
  readonly timing: Timing;
  broadcast(ev: FsEvent): void;
  nextSessionId(): number;
  findRegistration(user: string, domain: string): Registration | undefined;
  track(rt: CallRuntime): void;
  removeChannel(uuid: string): void;
}
