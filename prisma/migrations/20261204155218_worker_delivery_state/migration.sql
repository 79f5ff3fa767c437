-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "EmailDeliveryState" ADD VALUE 'SENDING';
ALTER TYPE "EmailDeliveryState" ADD VALUE 'RETRYING';

-- AlterTable
ALTER TABLE "CallRecording" ADD COLUMN     "sourcePath" VARCHAR(500);

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "emailFrom" VARCHAR(254),
ADD COLUMN     "voicemailRetentionDays" INTEGER NOT NULL DEFAULT 365;

-- AlterTable
ALTER TABLE "VoicemailMessage" ADD COLUMN     "emailGeneration" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "emailJobId" VARCHAR(200),
ADD COLUMN     "emailMessageId" VARCHAR(255);
