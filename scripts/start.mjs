// `npm start`: from a fresh clone to a running platform in one command.
// Installs what is missing, generates the Prisma client, migrates, seeds,
// builds, then runs API, controller, worker and portal together until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { bindError, listenerOf } from './lib/ports.mjs';

const root = new URL('..', import.meta.url).pathname;
const say = (line) => console.log(`[start] ${line}`);
const fail = (line) => {
  console.error(`[start] ${line}`);
  process.exit(1);
};

loadDotEnv();
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/pbx',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  RECORDINGS_DIR: process.env.RECORDINGS_DIR ?? join(root, 'var/recordings'),
  MEDIA_DIR: process.env.MEDIA_DIR ?? join(root, 'var/media'),
  STORAGE_DIR: process.env.STORAGE_DIR ?? join(root, 'var/storage'),
};
mkdirSync(env.RECORDINGS_DIR, { recursive: true });
mkdirSync(env.MEDIA_DIR, { recursive: true });
mkdirSync(env.STORAGE_DIR, { recursive: true });

// The real environment wins, then .env, then the working local defaults in .env.example.
function loadDotEnv() {
  for (const name of ['.env', '.env.example']) loadEnvFile(join(root, name));
}

function loadEnvFile(file) {
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const value = m[2].replace(/^(['"])(.*)\1$/, '$2');
    if (process.env[m[1]] === undefined) process.env[m[1]] = value;
  }
}

function run(cmd, args, label) {
  say(label);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) fail(`${label} failed (exit ${r.status ?? r.signal})`);
}

function reachable(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 2000 });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

async function checkServices() {
  const pg = new URL(env.DATABASE_URL);
  const pgHost = pg.searchParams.get('host') ? null : pg.hostname || '127.0.0.1';
  if (pgHost && !(await reachable(pgHost, Number(pg.port || 5432)))) {
    fail(
      `PostgreSQL is not reachable at ${pgHost}:${pg.port || 5432}. Start it ` +
        `(here: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set DATABASE_URL in .env.`,
    );
  }
  const redis = new URL(env.REDIS_URL);
  if (!(await reachable(redis.hostname || '127.0.0.1', Number(redis.port || 6379)))) {
    fail(
      `Redis is not reachable at ${redis.hostname}:${redis.port || 6379}. Start it ` +
        `(here: redis-server --daemonize yes --bind 127.0.0.1 --port 6379) or set REDIS_URL in .env.`,
    );
  }
}

/** `host:port` or `[v6]:port` (the controller's OUTBOUND_SOCKET_ADDRESS) as [host, port]. */
function hostAndPort(address) {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon).replace(/^\[|\]$/g, ''), address.slice(colon + 1)];
}

// A second `npm start` (or anything else on our ports) is told in one line, before it installs,
// migrates or rebuilds anything under the running one.
async function refuseTakenPorts() {
  const listeners = [
    ['API_PORT', env.API_HOST ?? '127.0.0.1', env.API_PORT ?? '3000'],
    ['WEB_PORT', env.WEB_HOST ?? '127.0.0.1', env.WEB_PORT ?? '8080'],
    ['CONTROLLER_HTTP_PORT', env.CONTROLLER_HTTP_HOST ?? '127.0.0.1', env.CONTROLLER_HTTP_PORT ?? '8099'],
    ['WORKER_METRICS_PORT', env.WORKER_METRICS_HOST ?? '127.0.0.1', env.WORKER_METRICS_PORT ?? '9464'],
    ['OUTBOUND_SOCKET_ADDRESS', ...hostAndPort(env.OUTBOUND_SOCKET_ADDRESS ?? '127.0.0.1:8084')],
  ];
  for (const [name, host, value] of listeners) {
    const port = Number(value);
    const code = await bindError(host, port);
    if (code === null) continue;
    if (code !== 'EADDRINUSE') fail(`cannot listen on ${host}:${port} (${name}): ${code}`);
    const owner = listenerOf(port);
    fail(
      `port ${port} (${name}) is already in use${owner ? ` by ${owner}` : ''}: is npm start already ` +
        `running? Stop it, or set ${name} to a free port.`,
    );
  }
}

function needsInstall() {
  const marker = join(root, 'node_modules/.package-lock.json');
  if (!existsSync(marker)) return true;
  return statSync(join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs;
}

await refuseTakenPorts();
if (needsInstall()) run('npm', ['install', '--no-audit', '--no-fund'], 'installing dependencies');
await checkServices();
run(process.execPath, ['scripts/prisma-generate.mjs'], 'generating the Prisma client');
run(
  process.execPath,
  ['--import', 'tsx', 'scripts/create-database.ts'],
  'creating the database if it is missing',
);
run('npm', ['run', '-s', 'db:migrate'], 'applying migrations');
run('npm', ['run', '-s', 'db:seed'], 'seeding demo data');
run('npm', ['run', '-s', 'build'], 'building');
run('npm', ['run', '-s', 'media:prompts'], 'generating the built-in prompts (espeak-ng)');

const apps = [
  { name: 'api', args: ['apps/api/dist/main.js'] },
  { name: 'controller', args: ['apps/controller/dist/main.js'] },
  { name: 'worker', args: ['apps/worker/dist/main.js'] },
  { name: 'web', args: ['apps/web/dist/server.js'] },
];
const children = new Map();
let stopping = false;

for (const app of apps) {
  const child = spawn(process.execPath, ['--enable-source-maps', ...app.args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${app.name}]`.padEnd(13);
  const pipe = (stream, out) => {
    let buf = '';
    stream.on('data', (chunk) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) out.write(`${prefix}${l}\n`);
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    children.delete(app.name);
    if (!stopping) {
      console.error(`[start] ${app.name} exited (${code ?? signal}); stopping everything`);
      stopAll(1);
      return;
    }
    // A graceful stop ends with exit code 0; anything else makes `npm start` itself fail.
    if (code !== 0) {
      console.error(`[start] ${app.name} did not stop cleanly (${code ?? signal})`);
      process.exitCode = 1;
    }
    if (children.size === 0) process.exit(process.exitCode ?? 0);
  });
  children.set(app.name, child);
}

function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const [name, child] of children) {
      console.error(`[start] ${name} did not stop within 30 s; killed`);
      child.kill('SIGKILL');
    }
    process.exit(1);
  }, 30_000).unref();
  if (children.size === 0) process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

const apiPort = env.API_PORT ?? '3000';
const webPort = env.WEB_PORT ?? '8080';
const deadline = Date.now() + 60_000;
while (Date.now() < deadline && !stopping) {
  const ok = await fetch(`http://127.0.0.1:${apiPort}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  await new Promise((r) => setTimeout(r, 500));
}
if (!stopping) {
  const { tsImport } = await import('tsx/esm/api');
  const { DEMO } = await tsImport('../packages/db/src/seed/demo.ts', import.meta.url);
  say('everything is up. Ctrl-C stops it all.');
  say(`portal:   http://localhost:${webPort}`);
  say(`API docs: http://localhost:${apiPort}/v1/docs`);
  say(`login:    ${DEMO.admin.email} / ${DEMO.admin.password} (platform admin)`);
  say(`          ${DEMO.tenantAdmin.email} / ${DEMO.tenantAdmin.password} (admin of ${DEMO.tenant.domain})`);
}
