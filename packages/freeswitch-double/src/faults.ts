/** Fault injection knobs; change them at any time, they apply to the next write or connection. */
export interface Faults {
  /** Split every write into chunks of 1..maxChunk bytes, written on separate ticks. 0 = off. */
  splitMaxChunk: number;
  /** Delay before each command reply (api, command/reply), ms. */
  replyDelayMs: number;
  /** Answer every `auth` with -ERR invalid. */
  refuseAuth: boolean;
  /** Accept TCP connections but never send a byte nor answer anything (a hung node). */
  dead: boolean;
  /** The next event frame is cut in half and the connection dropped. */
  dropNextEventMidway: boolean;
  /** Replies to commands are swallowed (the socket stays open): a stuck FreeSWITCH. */
  ignoreCommands: boolean;
}

export function defaultFaults(): Faults {
  return {
    splitMaxChunk: 0,
    replyDelayMs: 0,
    refuseAuth: false,
    dead: false,
    dropNextEventMidway: false,
    ignoreCommands: false,
  };
}
