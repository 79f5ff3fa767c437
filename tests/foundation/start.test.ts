// `npm start` as a user runs it: everything comes up, the seeded admin can log
// in through the portal's origin, and one Ctrl-C (SIGINT) stops every process.
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
import { databaseUrl, quoteIdent, testRedisPrefix, withAdmin } from '@pbx/testing';

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

test(
  'npm start brings up API, controller, worker and portal, and Ctrl-C stops them all',
  { timeout: 240_000 },
  async () => {
    const dbName = `pbx_t_${Date.now().toString(36)}_start${randomBytes(3).toString('hex')}`;
    after(() => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(dbName)} WITH (FORCE)`)));
    const taken = new Set<number>();
    const ports = {
      API_PORT: await freePort(taken),
      WEB_PORT: await freePort(taken),
      CONTROLLER_HTTP_PORT: await freePort(taken),
    };
    const child = spawn('npm', ['start'], {
      cwd: root,
      env: {
        ...withoutTestRunnerEnv(process.env),
        DATABASE_URL: databaseUrl(dbName),
        REDIS_PREFIX: testRedisPrefix().replaceAll(':', '-'),
        API_URL: `http://127.0.0.1:${ports.API_PORT}`,
        XML_CURL_USER: XML_USER,
        XML_CURL_PASSWORD: XML_PASSWORD,
        ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so SIGINT can go to the whole group as a terminal's Ctrl-C does.
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      if (process.env.DEBUG_START) process.stderr.write(c);
    });
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    after(() => writeFile(`${root}var/start-test.log`, output).catch(() => undefined));
    const exited = new Promise<string>((resolve) =>
      child.on('exit', (code, signal) => resolve(String(code ?? signal))),
    );
    after(() => {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // The whole group has already exited.
      }
    });

    const deadline = Date.now() + 100_000;
    while (!output.includes('everything is up') && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 250));
    }
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
    const reg = await fs.register(alice.number, DEMO.tenant.domain);
    assert.equal(reg.status, 200, reg.body);
    assert.ok(
      reg.body.includes(`value="${sipA1Hash(alice.number, DEMO.tenant.domain, alice.sipPassword)}"`),
      reg.body,
    );
    const call = await fs.dialplan({
      uuid: randomUUID(),
      destination: bob.number,
      context: DEMO.tenant.domain,
      user: alice.number,
      domain: DEMO.tenant.domain,
      callerIdName: alice.displayName,
      callerIdNumber: alice.number,
      directoryVariables: [['user_context', DEMO.tenant.domain]],
    });
    assert.match(call.body, new RegExp(`application="bridge" data="[^"]*user/${bob.number}@`));

    process.kill(-(child.pid ?? 0), 'SIGINT');
    // npm reports an interrupted script as 130 (or dies of the signal); what matters is that all stop.
    assert.match(await exited, /^(0|130|SIGINT)$/);
    for (const app of ['worker', 'controller', 'api']) {
      assert.match(
        output,
        new RegExp(String.raw`\[${app}\].*(SIGINT|shutting down)`),
        `${app} shut down gracefully`,
      );
    }
    for (const p of Object.values(ports)) {
      const stillUp = await fetch(`http://127.0.0.1:${p}/`).then(
        () => true,
        () => false,
      );
      assert.equal(stillUp, false, `port ${p} still answers after Ctrl-C`);
    }
  },
);
