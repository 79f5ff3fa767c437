// Job queues for tests that start a worker of their own (under its own Redis prefix), and the voicemail e-mail job.
import { after } from 'node:test';
import { createJobQueues, createJobsConnection, voicemailEmailJobId } from '@pbx/jobs';
import { TEST_REDIS_URL } from '@pbx/testing';

export type Queues = ReturnType<typeof createJobQueues>;

/** Queues under `prefix`, closed with their connection after the file's tests. */
export function queuesFor(prefix: string): Queues {
  const connection = createJobsConnection(TEST_REDIS_URL);
  const queues = createJobQueues({ connection, prefix });
  after(async () => {
    await queues.close();
    await connection.quit();
  });
  return queues;
}

/** A message's voicemail e-mail under the job id the controller's deposit uses (vm_<id>_g<generation>). */
export const enqueueVoicemailEmail = (queues: Queues, m: { tenantId: string; id: string }, generation = 0) =>
  queues.enqueue(
    'voicemailEmail',
    { tenantId: m.tenantId, messageId: m.id, generation },
    voicemailEmailJobId(m.id, generation),
  );
