-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN     "actorExtensionId" UUID,
ADD COLUMN     "actorLabel" VARCHAR(120);
