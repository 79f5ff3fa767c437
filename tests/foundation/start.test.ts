// `npm start` as a user runs it: everything comes up, the seeded admin can log
// in through the portal's origin, a second `npm start` is refused in one line, and
// one Ctrl-C (SIGINT) stops every process. Shutdown is checked by behaviour (exit
// code, no process left, ports closed), never by the apps' log wording.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEMO } from '@pbx/db/seed';
import { sipA1Hash } from '@pbx/domain';
import { XmlCurlClient } from '@pbx/freeswitch-double/xml-curl';
import { databaseUrl, quoteIdent, testRedisPrefix, waitFor, withAdmin } from '@pbx/testing';

const root = fileURLToPath(new URL('../..', import.meta.url));
const XML_USER = 'freeswitch';
const XML_PASSWORD = `start-test-${randomBytes(6).toString('hex')}`;
// The test runner marks its children with NODE_TEST_CONTEXT; the apps are not tests.
function withoutTestRunnerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.NODE_TEST_CONTEXT;
  return copy;
}
/**
 * A free port below the kernel's ephemeral range: ports in that range are handed to outgoing connections
 * (a busy machine has tens of thousands), so one picked there can be taken before the app binds it.
 */
async function freePort(taken: Set<number>): Promise<number> {
  const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '32768');
  const ephemeralLow = Number(range.trim().split(/\s+/)[0]) || 32768;
  for (;;) {
    const candidate = 10_000 + Math.floor(Math.random() * (ephemeralLow - 10_000));
    if (taken.has(candidate)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(candidate, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) {
      taken.add(candidate);
      return candidate;
    }
  }
}

/** True while any process of the group is alive (signal 0 only checks). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

test(
  'npm start brings up API, controller, worker and portal, refuses a second start, and Ctrl-C stops them all',
  { timeout: 240_000 },
  async () => {
    // `npm start` is exactly this command; it is run directly so its own exit code is seen (npm
    // itself dies of the SIGINT whatever the script returns).
    const pkg = JSON.parse(await readFile(`${root}package.json`, 'utf8')) as { scripts: { start: string } };
    assert.equal(pkg.scripts.start, 'node scripts/start.mjs');
    const dbName = `pbx_t_${Date.now().toString(36)}_start${randomBytes(3).toString('hex')}`;
    after(() => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(dbName)} WITH (FORCE)`)));
    const taken = new Set<number>();
    const ports = {
      API_PORT: await freePort(taken),
      WEB_PORT: await freePort(taken),
      CONTROLLER_HTTP_PORT: await freePort(taken),
      // Every listener on a free port: another checkout's suite may run `npm start` on this machine at the same time.
      WORKER_METRICS_PORT: await freePort(taken),
    };
    const outboundSocket = `127.0.0.1:${await freePort(taken)}`;
    const env = {
      ...withoutTestRunnerEnv(process.env),
      DATABASE_URL: databaseUrl(dbName),
      REDIS_PREFIX: testRedisPrefix().replaceAll(':', '-'),
      API_URL: `http://127.0.0.1:${ports.API_PORT}`,
      XML_CURL_USER: XML_USER,
      XML_CURL_PASSWORD: XML_PASSWORD,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      OUTBOUND_SOCKET_ADDRESS: outboundSocket,
    };
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so SIGINT can go to the whole group as a terminal's Ctrl-C does.
      detached: true,
    });
    const pgid = child.pid ?? 0;
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      if (process.env.DEBUG_START) process.stderr.write(c);
    });
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    after(() => writeFile(`${root}var/start-test.log`, output).catch(() => undefined));
    const exited = new Promise<number | string>((resolve) =>
      child.on('exit', (code, signal) => resolve(code ?? String(signal))),
    );
    after(() => {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // The whole group has already exited.
      }
    });

    // Up means: the script reports it (with the URLs and logins a user needs), or it gave up. The report is
    // several writes: wait for its last line, not its first (a loaded machine delivers them in separate chunks).
    await waitFor(
      'npm start to be up or to exit',
      () => output.includes('(admin of ') || child.exitCode !== null,
    );
    assert.ok(output.includes('everything is up'), output.slice(-3000));
    assert.match(output, new RegExp(`portal: +http://localhost:${ports.WEB_PORT}`));
    assert.ok(output.includes(`${DEMO.admin.email} / ${DEMO.admin.password}`));

    const login = await fetch(`http://127.0.0.1:${ports.WEB_PORT}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO.admin.email, password: DEMO.admin.password }),
    });
    assert.equal(login.status, 200, await login.clone().text());
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    const me = (await (
      await fetch(`http://127.0.0.1:${ports.WEB_PORT}/v1/auth/me`, { headers: { cookie } })
    ).json()) as { role: string };
    assert.equal(me.role, 'PLATFORM_ADMIN');
    const page = await fetch(`http://127.0.0.1:${ports.WEB_PORT}/`);
    assert.match(await page.text(), /<div id="root">/);

    // The bundled controller answers FreeSWITCH's lookups for the seeded tenant, as a phone's REGISTER and call
    // would make it.
    const fs = new XmlCurlClient({
      baseUrl: `http://127.0.0.1:${ports.CONTROLLER_HTTP_PORT}/freeswitch`,
      user: XML_USER,
      password: XML_PASSWORD,
    });
    const [alice, bob] = DEMO.extensions;
    assert.ok(alice && bob);
    // On a busy machine the first load of the tenant may exceed the controller's load time-out and be answered
    // 503; FreeSWITCH asks again on the phone's next REGISTER or call, and so does this test.
    const answered = async <R extends { status: number }>(lookup: () => Promise<R>): Promise<R> => {
      let res = await lookup();
      while (res.status === 503) res = await lookup();
      return res;
    };
    const reg = await answered(() => fs.register(alice.number, DEMO.tenant.domain));
    assert.equal(reg.status, 200, reg.body);
    assert.ok(
      reg.body.includes(`value="${sipA1Hash(alice.number, DEMO.tenant.domain, alice.sipPassword)}"`),
      reg.body,
    );
    const call = await answered(() =>
      fs.dialplan({
        uuid: randomUUID(),
        destination: bob.number,
        context: DEMO.tenant.domain,
        user: alice.number,
        domain: DEMO.tenant.domain,
        callerIdName: alice.displayName,
        callerIdNumber: alice.number,
        directoryVariables: [['user_context', DEMO.tenant.domain]],
      }),
    );
    assert.equal(call.status, 200, call.body);
    assert.match(call.body, new RegExp(`application="bridge" data="[^"]*user/${bob.number}@`));

    // A second `npm start` while this one runs: one line naming the port, a failing exit, and
    // nothing installed, migrated or rebuilt under the running one.
    const second = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let secondOut = '';
    let secondErr = '';
    second.stdout.on('data', (c: Buffer) => (secondOut += c.toString()));
    second.stderr.on('data', (c: Buffer) => (secondErr += c.toString()));
    const secondCode = await new Promise<number | null>((resolve) =>
      second.on('exit', (code) => resolve(code)),
    );
    assert.notEqual(secondCode, 0);
    const lines = secondErr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('npm error'));
    assert.equal(lines.length, 1, secondErr);
    assert.match(lines[0] ?? '', new RegExp(`\\b${ports.API_PORT}\\b.*already in use`));
    assert.doesNotMatch(secondOut, /\[start\]/, 'the second start did nothing');
    assert.equal(
      (await fetch(`http://127.0.0.1:${ports.API_PORT}/healthz`)).status,
      200,
      'the first runs on',
    );

    process.kill(-pgid, 'SIGINT');
    // 0 only if every app stopped by itself with exit code 0 (scripts/start.mjs).
    assert.equal(await exited, 0, output.slice(-3000));
    await waitFor('every process of npm start to be gone', () => !groupAlive(pgid));
    for (const p of Object.values(ports)) {
      const stillUp = await fetch(`http://127.0.0.1:${p}/`).then(
        () => true,
        () => false,
      );
      assert.equal(stillUp, false, `port ${p} still answers after Ctrl-C`);
    }
  },
);
