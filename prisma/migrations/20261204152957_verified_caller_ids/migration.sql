-- CreateTable
CREATE TABLE "VerifiedCallerId" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "e164" VARCHAR(16) NOT NULL,
    "note" VARCHAR(200) NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VerifiedCallerId_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "VerifiedCallerId_tenantId_e164_key" ON "VerifiedCallerId"("tenantId", "e164");

-- AddForeignKey
ALTER TABLE "VerifiedCallerId" ADD CONSTRAINT "VerifiedCallerId_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
