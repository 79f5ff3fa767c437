-- CreateEnum
CREATE TYPE "ApiKeyScope" AS ENUM ('READ', 'WRITE', 'USERS', 'API_KEYS');

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "parentKeyId" UUID,
ADD COLUMN     "scopes" "ApiKeyScope"[] DEFAULT ARRAY['READ', 'WRITE']::"ApiKeyScope"[];

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "purgeAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "email" VARCHAR(254) NOT NULL,
    "failedLogins" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("email")
);

-- CreateIndex
CREATE INDEX "LoginThrottle_updatedAt_idx" ON "LoginThrottle"("updatedAt");

-- CreateIndex
CREATE INDEX "ApiKey_createdById_idx" ON "ApiKey"("createdById");

-- CreateIndex
CREATE INDEX "ApiKey_parentKeyId_idx" ON "ApiKey"("parentKeyId");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_parentKeyId_fkey" FOREIGN KEY ("parentKeyId") REFERENCES "ApiKey"("id") ON DELETE SET NULL ON UPDATE CASCADE;
