import { TrunkAttemptSchema, type TrunkAttempt } from '@pbx/contracts';

/** A CDR's stored trunk attempts, re-checked against the contract (the column is JSON: anything else is left out). */
export const trunkAttemptsOf = (value: unknown): TrunkAttempt[] | null => {
  const parsed = TrunkAttemptSchema.array().safeParse(value);
  return parsed.success ? parsed.data : null;
};
