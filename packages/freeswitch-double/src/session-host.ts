import type { ApiResult } from './api.js';
import type { Faults } from './faults.js';

/** What a connection (inbound or outbound) needs from the double. */
export interface SessionHost {
  readonly faults: Faults;
  readonly password: string;
  runApi(line: string): ApiResult;
  /** Fires the API event every api call raises. */
  apiEvent(line: string): void;
  /** Runs a bgapi job and broadcasts its BACKGROUND_JOB (after the reply, on a later tick). */
  runBgapi(line: string, jobUuid: string, ownerUuid: string | undefined): void;
  /** Handles sendmsg; returns the Reply-Text. Effects happen after the reply is written. */
  sendmsg(uuid: string, headers: Map<string, string>, body: string | undefined): string;
  /** Records a `sendevent` (e.g. MESSAGE_WAITING from the controller); returns the Reply-Text. */
  sendevent(name: string, headers: Map<string, string>): string;
}
