export interface Timing {
  /** How long a playback / tone / prompt lasts. */
  playbackMs: number;
  /** How long the far end of `bridge` rings before answering. */
  bridgeAnswerMs: number;
  /** HEARTBEAT interval; 0 = only when asked. */
  heartbeatMs: number;
  /** Recording length when `record` has no limit and the caller does not hang up. */
  recordMs: number;
  /**
   * When set, replaces every play_and_get_digits first-digit and inter-digit time-out (ms). Scripted callers press
   * their digits when a prompt starts, so a short time-out changes no outcome and makes "no input" paths fast.
   */
  digitTimeoutMs?: number;
}
