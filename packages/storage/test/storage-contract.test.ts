// One contract, both backends: the local directory and S3 (a real S3-compatible server, s3rver, over HTTP).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, before, describe, test } from 'node:test';
import {
  LocalStorage,
  S3Storage,
  StorageVerifyError,
  assertKey,
  createStorage,
  digestFile,
  fetchVerified,
  storageKeys,
  storeVerified,
  type ObjectStorage,
} from '../src/index.js';
import { startTestS3, type TestS3 } from './s3-server.js';

let scratch: string;
let s3: TestS3;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'pbx-storage-'));
  s3 = await startTestS3();
});
after(async () => {
  await s3.close();
  await rm(scratch, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer) {
  const path = join(scratch, name);
  await writeFile(path, content);
  return path;
}

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const R = '33333333-3333-4333-8333-333333333333';

const backends: [string, () => ObjectStorage][] = [
  ['local', () => new LocalStorage(join(scratch, 'store'))],
  ['s3', () => createStorage(s3.settings)],
];

for (const [name, make] of backends)
  describe(`${name} backend`, () => {
    let storage: ObjectStorage;
    before(() => {
      storage = make();
    });
    after(() => storage.close());

    test('put, head, get, delete', async () => {
      const key = storageKeys.recording(T1, R, 'mp3');
      const audio = Buffer.alloc(70_000, 7);
      const source = await file(`${name}-a.bin`, audio);
      assert.equal(await storage.head(key), null);
      assert.equal(await storage.get(key), null);

      const sent = await storage.putFile(key, source, 'audio/mpeg');
      const digest = await digestFile(source);
      // The MD5 only where the backend checks one (S3: Content-MD5 and the ETag); SHA-256 always.
      const md5 = name === 's3' ? digest.md5 : null;
      assert.deepEqual(sent, { ...digest, md5 }, 'putFile reports what it read and stored');
      const head = await storage.head(key);
      assert.equal(head?.sizeBytes, audio.length);
      assert.equal(head.sha256, digest.sha256);
      assert.equal(head.md5, md5);

      const got = await storage.get(key);
      assert.ok(got);
      assert.equal(got.sizeBytes, audio.length);
      const chunks: Buffer[] = [];
      for await (const chunk of got.body as AsyncIterable<Buffer>) chunks.push(chunk);
      assert.deepEqual(Buffer.concat(chunks), audio);

      // Replacing an object replaces its content and digests.
      await storage.putFile(key, await file(`${name}-b.bin`, 'short'), 'audio/mpeg');
      assert.equal((await storage.head(key))?.sizeBytes, 5);
      const replaced = await storage.get(key);
      assert.ok(replaced);
      assert.equal(await text(replaced.body), 'short');

      await storage.delete(key);
      assert.equal(await storage.head(key), null);
      await storage.delete(key); // a missing object is not an error
    });

    test('list and delete by prefix stay within the prefix', async () => {
      const keys = [
        storageKeys.recording(T1, R, 'mp3'),
        storageKeys.voicemailMessage(T1, R, T2),
        storageKeys.greeting(T1, `ivr-${R}.wav`),
        storageKeys.recording(T2, R, 'mp3'),
      ];
      const source = await file(`${name}-c.bin`, 'x');
      for (const key of keys) await storage.putFile(key, source, 'audio/wav');

      assert.deepEqual(await storage.list(storageKeys.tenant(T1)), keys.slice(0, 3).sort());
      assert.deepEqual(await storage.list(`tenants/${T1}/voicemail/`), [keys[1]]);
      assert.deepEqual(await storage.list('tenants/nobody/'), []);

      assert.equal(await storage.deletePrefix(storageKeys.tenant(T1)), 3);
      assert.deepEqual(await storage.list(storageKeys.tenant(T1)), []);
      assert.deepEqual(await storage.list('tenants/'), [keys[3]]);
      await storage.deletePrefix('tenants/');
    });

    test('storeVerified proves the copy by HEAD', async () => {
      const source = await file(`${name}-d.bin`, Buffer.alloc(1234, 1));
      const key = storageKeys.recording(T2, R, 'mp3');
      const stored = await storeVerified(storage, key, source, 'audio/mpeg');
      assert.equal(stored.sizeBytes, 1234);
      assert.equal(stored.sha256, (await digestFile(source)).sha256);
      await storage.delete(key);
    });

    test('fetchVerified copies an object into a new file and proves it; null without an object', async () => {
      const audio = Buffer.alloc(40_000, 3);
      const key = storageKeys.greeting(T1, `ivr-${R}.wav`);
      await storeVerified(storage, key, await file(`${name}-e.bin`, audio), 'audio/wav');
      const target = join(scratch, `${name}-fetched.bin`);
      const fetched = await fetchVerified(storage, key, target);
      assert.equal(fetched?.sizeBytes, audio.length);
      assert.deepEqual(await readFile(target), audio);
      // It never writes through a file that is already there.
      await writeFile(target, 'kept');
      await assert.rejects(fetchVerified(storage, key, target), { code: 'EEXIST' });
      assert.equal(await readFile(target, 'utf8'), 'kept');
      await storage.delete(key);
      const absent = join(scratch, `${name}-absent.bin`);
      assert.equal(await fetchVerified(storage, key, absent), null);
      assert.equal(existsSync(absent), false);
    });

    test('keys that could leave their place are refused', async () => {
      for (const bad of ['../x', '/abs', 'a//b', 'a/../b', 'a/./b', 'a b', '']) {
        assert.throws(() => assertKey(bad), /invalid storage key/);
        await assert.rejects(storage.head(bad), /invalid storage key/);
      }
      await assert.rejects(storage.list('tenants'), /invalid storage prefix/);
      assert.throws(() => storageKeys.recording('../x', R, 'mp3'));
    });
  });

test('a copy that does not match its file fails verification', async () => {
  // A backend whose upload silently loses the tail (it reports what it read, but stores less): what storeVerified
  // exists to catch.
  const real: ObjectStorage = new LocalStorage(join(scratch, 'lossy'));
  const lossy: ObjectStorage = Object.assign(Object.create(real) as ObjectStorage, {
    putFile: async (key: string, source: string, contentType: string) => {
      const read = await real.putFile(key, source, contentType);
      await real.putFile(key, await file('truncated.bin', 'abc'), contentType);
      return read;
    },
  });
  const source = await file('whole.bin', 'abcdef');
  await assert.rejects(
    storeVerified(lossy, storageKeys.recording(T1, R, 'mp3'), source, 'audio/mpeg'),
    (error) => error instanceof StorageVerifyError && /holds 3 bytes instead of 6/.test(error.message),
  );
});

test('a copy of the right size with other bytes fails verification (SHA-256, no MD5 needed)', async () => {
  const real: ObjectStorage = new LocalStorage(join(scratch, 'flipped'));
  const flipped: ObjectStorage = Object.assign(Object.create(real) as ObjectStorage, {
    putFile: async (key: string, source: string, contentType: string) => {
      const read = await real.putFile(key, source, contentType);
      await real.putFile(key, await file('flipped.bin', 'abcdeX'), contentType);
      return read;
    },
  });
  const source = await file('original.bin', 'abcdef');
  await assert.rejects(
    storeVerified(flipped, storageKeys.recording(T1, R, 'mp3'), source, 'audio/mpeg'),
    (error) => error instanceof StorageVerifyError && /holds SHA-256/.test(error.message),
  );
});

test('a download that does not match what HEAD reports fails verification and leaves no file', async () => {
  const real = new LocalStorage(join(scratch, 'garbled'));
  const key = storageKeys.voicemailMessage(T1, R, T2);
  await real.putFile(key, await file('stored.bin', 'abcdef'));
  const garbled: ObjectStorage = Object.assign(Object.create(real) as ObjectStorage, {
    get: () => Promise.resolve({ body: Readable.from([Buffer.from('abcdeX')]), sizeBytes: 6 }),
  });
  const target = join(scratch, 'garbled.bin');
  await assert.rejects(
    fetchVerified(garbled, key, target),
    (error) => error instanceof StorageVerifyError && /arrived with SHA-256/.test(error.message),
  );
  assert.equal(existsSync(target), false);
});

test('an S3 server that is not there fails the upload (the caller keeps its file)', async () => {
  const storage = new S3Storage({ ...s3Settings(), endpoint: 'http://127.0.0.1:9' });
  const source = await file('unreachable.bin', 'abc');
  await assert.rejects(storeVerified(storage, storageKeys.recording(T1, R, 'mp3'), source, 'audio/mpeg'));
  storage.close();
});

function s3Settings() {
  return {
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
  };
}
