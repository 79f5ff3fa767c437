-- AlterTable
ALTER TABLE "VoicemailBox" ADD COLUMN     "fallbackDestType" "DestinationType" NOT NULL DEFAULT 'HANGUP',
ADD COLUMN     "fallbackDestValue" VARCHAR(64);
