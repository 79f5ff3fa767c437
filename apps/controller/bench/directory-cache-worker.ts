// Phones for directory-cache.bench.ts, in their own thread so they do not share the controller's event loop: a
// FreeSWITCH double (its user cache) in front of the controller, REGISTERing through SipPhones.
import { parentPort } from 'node:worker_threads';
import { FreeswitchDouble, SipPhones } from '@pbx/freeswitch-double';
import { XmlCurlClient, type LookupResult, type XmlCurlRequest } from '@pbx/freeswitch-double/xml-curl';

export type PhoneJob = {
  port: number;
  user: string;
  password: string;
  /** Phones as [user, domain, password]. */
  phones: Array<[string, string, string]>;
  /** REGISTER rounds over all phones; the double's cache is kept between rounds unless `noCache`. */
  rounds: number;
  concurrency: number;
  /** Clear the cache before every REGISTER: FreeSWITCH without `cacheable` (asks on every REGISTER). */
  noCache?: boolean;
};

export type PhoneResult = {
  /** Per round: REGISTERs, directory lookups sent, seconds, failures. */
  rounds: Array<{ registers: number; lookups: number; seconds: number; failed: number }>;
  /** Duration of every directory lookup (ms), all rounds. */
  lookupMs: number[];
};

/** The client FreeSWITCH's mod_xml_curl is, timing each lookup. */
class TimedClient extends XmlCurlClient {
  readonly times: number[] = [];
  override async send(req: XmlCurlRequest): Promise<LookupResult> {
    const t0 = performance.now();
    try {
      return await super.send(req);
    } finally {
      this.times.push(performance.now() - t0);
    }
  }
}

async function run(job: PhoneJob): Promise<PhoneResult> {
  const fs = new FreeswitchDouble({ hostname: 'bench' });
  const client = new TimedClient({
    baseUrl: `http://127.0.0.1:${job.port}/freeswitch`,
    user: job.user,
    password: job.password,
  });
  const phones = new SipPhones(fs, client);
  const rounds: PhoneResult['rounds'] = [];
  for (let r = 0; r < job.rounds; r++) {
    const lookups0 = phones.lookups;
    let failed = 0;
    let next = 0;
    const t0 = performance.now();
    const lane = async () => {
      for (let i = next++; i < job.phones.length; i = next++) {
        const [user, realm, password] = job.phones[i] ?? ['', '', ''];
        if (job.noCache) fs.userCache.clear();
        const res = await phones.register({ user, realm, password }).catch(() => ({ status: 0 }));
        if (res.status !== 200) failed++;
      }
    };
    await Promise.all(Array.from({ length: job.concurrency }, lane));
    rounds.push({
      registers: job.phones.length,
      lookups: phones.lookups - lookups0,
      seconds: (performance.now() - t0) / 1000,
      failed,
    });
  }
  return { rounds, lookupMs: client.times };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (job: PhoneJob) => {
    void run(job).then((r) => port.postMessage(r));
  });
  port.postMessage('ready');
}
