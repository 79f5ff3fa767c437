// Creates the database named in DATABASE_URL when the server has no such database yet.
import { ConfigError, env, parseEnv, z } from '@pbx/config';
import pg from 'pg';

const { DATABASE_URL } = parseEnv(
  z.object({ DATABASE_URL: env.url(['postgres', 'postgresql'], 'postgresql://root@127.0.0.1:5432/pbx') }),
  process.env,
);
const url = new URL(DATABASE_URL);
const name = decodeURIComponent(url.pathname.slice(1));
url.pathname = '/postgres';

try {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      console.log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `cannot create database ${name}: ${String(error)}`,
  );
  process.exit(1);
}
