-- AlterTable
ALTER TABLE "Cdr" ADD COLUMN     "trunkAttempts" JSONB;
