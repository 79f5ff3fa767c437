import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { KeyedSerial } from '../src/events/keyed-serial.js';

void test('KeyedSerial: one key in order, keys concurrently, never more than the limit at once', async () => {
  const serial = new KeyedSerial(3);
  const log: string[] = [];
  let running = 0;
  let peak = 0;
  for (let i = 0; i < 40; i++) {
    const key = `k${i % 5}`;
    serial.run(key, async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep(Math.floor(Math.random() * 5));
      log.push(`${key}:${i}`);
      running--;
    });
  }
  assert.equal(serial.pending, 40);
  await serial.idle();
  assert.equal(serial.pending, 0);
  assert.equal(peak, 3);
  for (let k = 0; k < 5; k++) {
    const order = log.filter((l) => l.startsWith(`k${k}:`)).map((l) => Number(l.split(':')[1]));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      `key k${k} kept its order`,
    );
    assert.equal(order.length, 8);
  }
});

void test('KeyedSerial: tasks without a slot keep their key order but never wait for a slot', async () => {
  const serial = new KeyedSerial(1);
  const log: string[] = [];
  let release: () => void = () => {};
  // The one slot is held until released...
  serial.run('held', () => new Promise<void>((resolve) => (release = resolve)));
  serial.run(
    'cdr',
    async () => {
      await sleep(5);
      log.push('cdr:1');
    },
    { slot: false },
  );
  serial.run(
    'cdr',
    () => {
      log.push('cdr:2');
      return Promise.resolve();
    },
    { slot: false },
  );
  serial.run('slotted', () => {
    log.push('slotted');
    return Promise.resolve();
  });
  // ...yet both slot-less tasks of 'cdr' ran, in order, while the slotted one still waits.
  while (log.length < 2) await sleep(1);
  assert.deepEqual(log, ['cdr:1', 'cdr:2']);
  release();
  await serial.idle();
  assert.deepEqual(log, ['cdr:1', 'cdr:2', 'slotted']);
});
