export {
  jobs,
  voicemailEmailJobId,
  voicemailStoreJobId,
  recordingJobId,
  mediaRefillJobId,
  mediaRefillMessageJobId,
  type JobKey,
  type JobPayload,
  type ParsedJobPayload,
} from './definitions.js';
export { createJobsConnection } from './connection.js';
export { createJobQueues, type JobQueues, type JobRequest } from './queues.js';
export { redisNotificationPublisher, type NotificationPublisher } from './notifications.js';
