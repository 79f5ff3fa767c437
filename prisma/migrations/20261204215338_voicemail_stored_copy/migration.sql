-- AlterTable
ALTER TABLE "VoicemailMessage" ADD COLUMN     "storeError" VARCHAR(500),
ADD COLUMN     "storedAt" TIMESTAMPTZ(3);
