-- AlterTable
ALTER TABLE "Extension" ADD COLUMN     "emergencyCallerIdNumber" VARCHAR(16),
ADD COLUMN     "emergencyLocation" VARCHAR(200);

-- AlterTable
ALTER TABLE "Gateway" ADD COLUMN     "emergencyFallback" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "locationHeader" VARCHAR(64);

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "emergencyCallerIdNumber" VARCHAR(16),
ADD COLUMN     "emergencyLocation" VARCHAR(200);
