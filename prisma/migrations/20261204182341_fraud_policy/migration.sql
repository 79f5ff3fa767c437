-- CreateTable
CREATE TABLE "FraudPolicy" (
    "tenantId" UUID NOT NULL,
    "allowedCountries" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "maxConcurrentPerExtension" INTEGER NOT NULL DEFAULT 2,
    "velocityMaxCalls" INTEGER NOT NULL DEFAULT 20,
    "velocityWindowSec" INTEGER NOT NULL DEFAULT 600,
    "velocityBlockSec" INTEGER NOT NULL DEFAULT 3600,
    "maxCallDurationSec" INTEGER NOT NULL DEFAULT 14400,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FraudPolicy_pkey" PRIMARY KEY ("tenantId")
);

-- AddForeignKey
ALTER TABLE "FraudPolicy" ADD CONSTRAINT "FraudPolicy_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
