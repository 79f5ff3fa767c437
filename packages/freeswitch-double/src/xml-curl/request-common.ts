import type { EventStamp, Field, FsIdentity } from './fields.js';

export type XmlCurlRequest = { section: 'directory' | 'dialplan' | 'configuration'; fields: Field[] };

export type Common = { identity?: FsIdentity; stamp?: EventStamp };

export const stampOrNow = (s: EventStamp | undefined): EventStamp =>
  s ?? { date: new Date(), sequence: 1000 };
