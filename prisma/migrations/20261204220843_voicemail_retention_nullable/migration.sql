-- AlterTable
ALTER TABLE "Tenant" ALTER COLUMN "voicemailRetentionDays" DROP NOT NULL;
