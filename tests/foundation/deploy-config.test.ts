// Docker cannot run on the development machines, so the production stack's
// files are checked here: YAML and XML parse, FreeSWITCH points at the
// controller with secrets from the environment, images are pinned, every
// compose command runs a file the build produces, internal ports stay internal,
// and FreeSWITCH loads only modules whose configuration is present.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse as parseYaml } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const confDir = join(root, 'freeswitch-conf');

async function xmlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await xmlFiles(p)));
    else if (entry.name.endsWith('.xml')) out.push(p);
  }
  return out.sort();
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) =>
    ['param', 'binding', 'load', 'profile', 'gateway', 'X-PRE-PROCESS', 'list', 'node'].includes(name),
});
type Param = { name: string; value: string };
const params = (node: unknown): Map<string, string> =>
  new Map(((node as { param?: Param[] } | undefined)?.param ?? []).map((p) => [p.name, p.value]));

async function conf(name: string): Promise<Record<string, unknown>> {
  const doc = parser.parse(await readFile(join(confDir, 'autoload_configs', name), 'utf8')) as {
    configuration: Record<string, unknown>;
  };
  return doc.configuration;
}

/**
 * Modules the project uses, with the configuration file each one needs (null: none, or none needed —
 * no error at start without it on FreeSWITCH 1.10.12 with this configuration, docs/freeswitch-facts.md).
 * Loading mod_voicemail or mod_local_stream without their file logs CRIT, mod_opus or mod_db ERR.
 */
const MODULE_CONFIG: Record<string, string | null> = {
  mod_console: 'console.conf.xml',
  mod_logfile: 'logfile.conf.xml',
  mod_xml_curl: 'xml_curl.conf.xml',
  mod_event_socket: 'event_socket.conf.xml',
  mod_json_cdr: 'json_cdr.conf.xml',
  mod_sofia: 'sofia.conf.xml',
  mod_opus: 'opus.conf.xml',
  mod_commands: null,
  mod_dptools: null,
  mod_dialplan_xml: null,
  mod_hash: null,
  mod_spandsp: null,
  mod_sndfile: null,
  mod_native_file: null,
  mod_tone_stream: null,
};

describe('freeswitch-conf', () => {
  test('every XML file is well-formed', async () => {
    const files = await xmlFiles(confDir);
    assert.ok(files.length >= 10, `expected the whole configuration, found ${files.length} files`);
    for (const file of files) {
      const result = XMLValidator.validate(await readFile(file, 'utf8'));
      assert.equal(result, true, `${relative(root, file)}: ${JSON.stringify(result)}`);
    }
  });

  test('variables come from the environment with env-set NAME=$NAME only', async () => {
    const top = parser.parse(await readFile(join(confDir, 'freeswitch.xml'), 'utf8')) as {
      document: { 'X-PRE-PROCESS': { cmd: string; data: string }[] };
    };
    const envSets = top.document['X-PRE-PROCESS'].filter((p) => p.cmd === 'env-set');
    assert.ok(envSets.length > 0);
    for (const p of envSets) {
      // env-set copies an environment variable; a literal value would silently set nothing.
      assert.match(p.data, /^([A-Z_]+)=\$\1$/, `env-set must copy a variable: ${p.data}`);
    }
    const defined = new Set(top.document['X-PRE-PROCESS'].map((p) => p.data.split('=')[0]));
    for (const file of await xmlFiles(confDir)) {
      for (const m of (await readFile(file, 'utf8')).matchAll(/\$\$\{([A-Z_]+)\}/gi)) {
        assert.ok(
          defined.has(m[1]),
          `${relative(root, file)} uses $\${${m[1]}} which freeswitch.xml never defines`,
        );
      }
    }
  });

  test('mod_xml_curl asks the controller with credentials and a time-out', async () => {
    const xmlCurl = await conf('xml_curl.conf.xml');
    const bindings = (xmlCurl.bindings as { binding: { name: string; param: Param[] }[] }).binding;
    const sections = new Map(bindings.map((b) => [b.name, b]));
    for (const section of ['directory', 'dialplan', 'configuration']) {
      const b = sections.get(section);
      assert.ok(b, `no ${section} binding`);
      const url = b.param.find((p) => p.name === 'gateway-url') as (Param & { bindings: string }) | undefined;
      assert.equal(url?.value, `$\${CONTROLLER_URL}/freeswitch/${section}`);
      assert.equal(url?.bindings, section);
      const p = params(b);
      assert.equal(p.get('gateway-credentials'), '$${XML_CURL_USER}:$${XML_CURL_PASSWORD}');
      const timeout = Number(p.get('timeout'));
      assert.ok(
        timeout >= 1 && timeout <= 10,
        'the default timeout (0) would block REGISTER handling forever',
      );
    }
    const modules = (await conf('modules.conf.xml')).modules as { load: { module: string }[] };
    const loaded = modules.load.map((l) => l.module);
    for (const m of [
      'mod_xml_curl',
      'mod_event_socket',
      'mod_json_cdr',
      'mod_sofia',
      'mod_dptools',
      'mod_dialplan_xml',
    ]) {
      assert.ok(loaded.includes(m), `${m} is not loaded`);
    }
  });

  test('event socket: port, address and password from the environment; loopback plus ESL_ALLOW admitted', async () => {
    const p = params((await conf('event_socket.conf.xml')).settings);
    assert.equal(p.get('password'), '$${ESL_PASSWORD}');
    assert.equal(p.get('listen-ip'), '$${ESL_LISTEN_IP}');
    assert.equal(p.get('listen-port'), '$${ESL_PORT}');
    assert.equal(p.get('apply-inbound-acl'), 'esl');
    const top = await readFile(join(confDir, 'freeswitch.xml'), 'utf8');
    // Internal by default: loopback, never every interface.
    assert.match(top, /cmd="set" data="ESL_LISTEN_IP=127\.0\.0\.1"/);
    const lists = (
      (await conf('acl.conf.xml'))['network-lists'] as {
        list: { name: string; default: string; node: { type: string; cidr: string }[] }[];
      }
    ).list;
    const esl = lists.find((l) => l.name === 'esl');
    assert.equal(esl?.default, 'deny');
    const allowed = (esl?.node ?? []).filter((n) => n.type === 'allow').map((n) => n.cidr);
    // A controller on the same host connects from 127.0.0.1, which rfc1918.auto does not contain.
    assert.ok(
      allowed.some((c) => c.split(',').includes('127.0.0.0/8')),
      'loopback must be admitted',
    );
    assert.ok(allowed.includes('$${ESL_ALLOW}'), "ESL_ALLOW (the controllers' networks) must be admitted");
  });

  test('modules.conf loads only modules the project uses, each with its configuration file present', async () => {
    const loaded = ((await conf('modules.conf.xml')).modules as { load: { module: string }[] }).load.map(
      (l) => l.module,
    );
    const present = new Set(await readdir(join(confDir, 'autoload_configs')));
    for (const module of loaded) {
      assert.ok(
        module in MODULE_CONFIG,
        `${module} is not known to be used by the project (see MODULE_CONFIG)`,
      );
      const file = MODULE_CONFIG[module];
      if (file) assert.ok(present.has(file), `${module} is loaded but ${file} is missing`);
    }
    for (const unused of ['mod_voicemail', 'mod_local_stream', 'mod_db'])
      assert.ok(!loaded.includes(unused), `${unused} is loaded but the project does not use it`);
  });

  test('json_cdr posts every leg to the controller and keeps failures on disk', async () => {
    const p = params((await conf('json_cdr.conf.xml')).settings);
    assert.equal(p.get('url'), '$${CONTROLLER_URL}/freeswitch/cdr');
    assert.equal(p.get('log-b-leg'), 'true');
    assert.ok(Number(p.get('retries')) >= 1);
    assert.ok(p.get('err-log-dir'));
  });

  test('every sofia profile has an RTP timer', async () => {
    const profiles = (
      (await conf('sofia.conf.xml')).profiles as { profile: { name: string; settings: unknown }[] }
    ).profile;
    assert.deepEqual(profiles.map((p) => p.name).sort(), ['external', 'internal']);
    for (const profile of profiles) {
      // Without it prompts and recordings stall while the caller is silent.
      assert.equal(params(profile.settings).get('rtp-timer-name'), 'soft', profile.name);
    }
  });
});

type Service = {
  image?: string;
  build?: unknown;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  network_mode?: string;
  networks?: string[] | Record<string, { ipv4_address?: string } | null>;
};
type Compose = {
  services: Record<string, Service>;
  networks: Record<string, { ipam: { config: { subnet: string; gateway: string }[] } }>;
};

async function compose(): Promise<Compose> {
  return parseYaml(await readFile(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
}

/** The value compose uses when the variable is not set in .env: `${NAME:-default}` → default. */
const withDefaults = (v: string | undefined): string => (v ?? '').replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

/** What `npm run build` produces, built into a private folder so the running tree is left alone. */
async function buildOutputs(): Promise<Set<string>> {
  const out = await mkdtemp(join(tmpdir(), 'pbx-build-'));
  const files = new Set<string>();
  try {
    for (const app of await readdir(join(root, 'apps'))) {
      const pkg = JSON.parse(await readFile(join(root, 'apps', app, 'package.json'), 'utf8')) as {
        scripts?: { build?: string };
      };
      if (!pkg.scripts?.build) continue;
      const dist = join(out, 'apps', app, 'dist');
      await run('npm', ['run', '-s', 'build', '-w', `apps/${app}`, '--', dist]);
      for (const f of await readdir(dist, { recursive: true })) files.add(`apps/${app}/dist/${f}`);
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  return files;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')}: ${err}`)),
    );
  });
}

describe('docker-compose.yml', () => {
  test('describes the whole stack with pinned images and secrets from the environment', async () => {
    const { services } = await compose();
    for (const name of ['postgres', 'redis', 'migrate', 'freeswitch', 'api', 'controller', 'worker', 'web']) {
      assert.ok(services[name], `service ${name} is missing`);
    }
    for (const [name, svc] of Object.entries(services)) {
      if (svc.image)
        assert.match(svc.image, /:v?\d[^:]*$/, `${name} image must be pinned to a version, not latest`);
      else assert.ok(svc.build, `${name} has neither image nor build`);
    }
    const fs = services.freeswitch;
    assert.ok(
      fs?.volumes?.some((v) => v.startsWith('./freeswitch-conf:')),
      'freeswitch-conf must be mounted',
    );
    assert.match(fs?.environment?.ESL_PASSWORD ?? '', /^\$\{ESL_PASSWORD:\?/);
    assert.match(services.controller?.environment?.ESL_PASSWORD ?? '', /^\$\{ESL_PASSWORD:\?/);
    assert.match(fs?.environment?.XML_CURL_PASSWORD ?? '', /^\$\{XML_CURL_PASSWORD:\?/);
    assert.match(services.postgres?.environment?.POSTGRES_PASSWORD ?? '', /^\$\{POSTGRES_PASSWORD:\?/);
  });

  test('every command runs a file the build produces (or an npm script of the repository)', async () => {
    const { services } = await compose();
    const built = await buildOutputs();
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const [name, svc] of Object.entries(services)) {
      if (!svc.build) continue;
      const command = svc.command ?? [];
      assert.ok(command.length > 0, `${name} has no command`);
      if (command[0] === 'node') {
        assert.ok(
          built.has(command[1] ?? ''),
          `${name} runs ${command[1]}, which the build does not produce`,
        );
        continue;
      }
      // sh -c 'npm run a && npm run b': each script exists and runs a file of the repository.
      const scripts = [...(command.at(-1) ?? '').matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1] ?? '');
      assert.ok(scripts.length > 0, `${name}: unexpected command ${JSON.stringify(command)}`);
      for (const script of scripts) {
        const line = pkg.scripts[script];
        assert.ok(line, `${name} runs npm script ${script}, which package.json does not define`);
        for (const file of line.split(/\s+/).filter((w) => /^[\w./-]+\.(?:ts|mjs|js)$/.test(w)))
          await access(join(root, file)).catch(() =>
            assert.fail(`${name}: ${script} runs ${file}, which is missing`),
          );
      }
    }
  });

  test('apps run as production: NODE_ENV is set, so the example secrets are refused', async () => {
    const { services } = await compose();
    for (const [name, svc] of Object.entries(services)) {
      if (svc.build) assert.equal(svc.environment?.NODE_ENV, 'production', name);
    }
  });

  test('internal ports stay internal; FreeSWITCH and the controller admit exactly the compose network', async () => {
    const { services, networks } = await compose();
    const PUBLIC = new Set(['3000', '8080']);
    for (const [name, svc] of Object.entries(services)) {
      for (const mapping of svc.ports ?? []) {
        const parts = mapping.split(':');
        const container = (parts.at(-1) ?? '').split('/')[0] ?? '';
        const boundToLoopback = parts.length === 3 && parts[0] === '127.0.0.1';
        assert.ok(
          PUBLIC.has(container) || boundToLoopback,
          `${name} publishes ${mapping} on every interface; bind it to 127.0.0.1 or keep it internal`,
        );
      }
    }
    const ipam = networks.pbx?.ipam.config[0];
    assert.ok(ipam, 'the compose network has a fixed subnet');
    const subnet = withDefaults(ipam.subnet);
    const gateway = withDefaults(ipam.gateway);
    const controller = services.controller;
    const fsEnv = services.freeswitch?.environment ?? {};
    const cEnv = controller?.environment ?? {};
    const controllerIp = withDefaults(
      (controller?.networks as Record<string, { ipv4_address?: string }> | undefined)?.pbx?.ipv4_address,
    );
    assert.ok(inSubnet(controllerIp, subnet), `controller address ${controllerIp} is outside ${subnet}`);
    // mod_xml_curl requests from host-network FreeSWITCH arrive from the host's address on the network.
    assert.equal(withDefaults(cEnv.XML_CURL_ALLOW), `${gateway}/32`);
    assert.equal(withDefaults(fsEnv.CONTROLLER_URL), `http://${controllerIp}:8099`);
    // The event socket listens there only, and admits loopback plus that network.
    assert.equal(withDefaults(fsEnv.ESL_LISTEN_IP), gateway);
    assert.equal(withDefaults(fsEnv.ESL_ALLOW), subnet);
    assert.equal(withDefaults(cEnv.ESL_NODES), `${gateway}:${withDefaults(fsEnv.ESL_PORT)}`);
    for (const svc of Object.values(services))
      for (const v of Object.values(svc.environment ?? {}))
        assert.doesNotMatch(String(v), /172\.16\.0\.0\/12/, 'no blanket private range');
  });
});

function inSubnet(ip: string, cidr: string): boolean {
  const [net = '', bits = '32'] = cidr.split('/');
  const n = (a: string) => a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(ip) / size) === Math.floor(n(net) / size);
}
