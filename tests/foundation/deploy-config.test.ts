// Docker cannot run on the development machines, so the production stack's
// files are checked for shape here: YAML and XML parse, FreeSWITCH points
// at the controller with secrets from the environment, images are pinned.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
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
  isArray: (name) => ['param', 'binding', 'load', 'profile', 'gateway', 'X-PRE-PROCESS'].includes(name),
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
    for (const section of ['directory', 'dialplan']) {
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

  test('event socket takes its password from the environment and admits the controller network', async () => {
    const p = params((await conf('event_socket.conf.xml')).settings);
    assert.equal(p.get('password'), '$${ESL_PASSWORD}');
    assert.equal(p.get('listen-ip'), '0.0.0.0');
    assert.equal(p.get('apply-inbound-acl'), '$${ESL_ALLOW}');
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

describe('docker-compose.yml', () => {
  test('describes the whole stack with pinned images and secrets from the environment', async () => {
    const compose = parseYaml(await readFile(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<
        string,
        {
          image?: string;
          build?: unknown;
          volumes?: string[];
          environment?: Record<string, string>;
          network_mode?: string;
        }
      >;
    };
    const services = compose.services;
    for (const name of [
      'postgres',
      'redis',
      'mailcatcher',
      'freeswitch',
      'api',
      'controller',
      'worker',
      'web',
    ]) {
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
  });
});
