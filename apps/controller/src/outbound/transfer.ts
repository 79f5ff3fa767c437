// The way out of an outbound-socket session into the tenant's dialplan, shared by every runtime (IVR exits, a full
// voicemail box's fallback): the routing engine decides where a stored destination leads, exactly as for a DID
// pointing at it (SYNTHETIC.go), and only on this channel (the signed transfer token).
import { parseSynthetic, SYNTHETIC, type StoredDestination } from '@pbx/domain/routing';
import type { OutboundCall } from '@pbx/esl';
import type { MediaLayout } from '@pbx/media';
import { DOMAIN_RE, EXTENSION_RE } from '../text.js';
import { TRANSFER_TOKEN_VAR, type TransferTokens } from '../xml-curl/transfer-token.js';
import { refuseCall } from './dispatch.js';

/** What leaving needs of the session: the tenant's domain (its dialplan context), the prompts, a logger. */
export type ExitContext = {
  domain: string;
  media: MediaLayout;
  log: { warn: (obj: object, msg: string) => void };
};

/** `transferred`: the dialplan has the call; `ended`: it was hung up (HANGUP) or refused here. */
export type ExitOutcome = 'transferred' | 'ended';

/** A stored destination: HANGUP says goodbye and hangs up; anything else is a signed transfer to `pbx-go-…`. */
export async function goToDestination(
  call: OutboundCall,
  ctx: ExitContext,
  tokens: TransferTokens,
  dest: StoredDestination,
): Promise<ExitOutcome> {
  if (dest.type === 'HANGUP') {
    await call.playback(ctx.media.prompt('goodbye'));
    if (!call.hasEnded) await call.hangup('NORMAL_CLEARING');
    return 'ended';
  }
  const target = SYNTHETIC.go(dest);
  // A stored value the engine could not parse back (corrupt row) is not sent to FreeSWITCH.
  if (parseSynthetic(target)?.kind !== 'go') {
    ctx.log.warn({ type: dest.type }, 'outbound session: destination cannot be addressed');
    await refuseCall(call, ctx);
    return 'ended';
  }
  return transferTo(call, ctx, tokens, target, true);
}

/** `transfer <number> XML <tenant domain>`: the dialplan lookup routes it like any other call of the tenant. */
export async function transferTo(
  call: OutboundCall,
  ctx: ExitContext,
  tokens: TransferTokens,
  number: string,
  internal: boolean,
): Promise<ExitOutcome> {
  const domain = ctx.domain;
  if (!DOMAIN_RE.test(domain) || (!internal && !EXTENSION_RE.test(number))) {
    ctx.log.warn({ number }, 'outbound session: refusing to transfer to an unsafe value');
    await refuseCall(call, ctx);
    return 'ended';
  }
  // The dialplan lookup routes an internal destination only with this channel's token for it.
  if (internal) await call.execute('set', `${TRANSFER_TOKEN_VAR}=${tokens.sign(call.uuid, domain, number)}`);
  await call.execute('transfer', `${number} XML ${domain}`);
  return 'transferred';
}
