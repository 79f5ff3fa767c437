-- CreateEnum
CREATE TYPE "NumberFormat" AS ENUM ('E164', 'E164_NO_PLUS', 'NATIONAL');

-- CreateEnum
CREATE TYPE "GatewayTransport" AS ENUM ('UDP', 'TCP');

-- DropForeignKey
ALTER TABLE "Tenant" DROP CONSTRAINT "Tenant_outboundGatewayId_fkey";

-- AlterTable
ALTER TABLE "Gateway" ADD COLUMN     "callerIdFormat" "NumberFormat" NOT NULL DEFAULT 'E164',
ADD COLUMN     "codecs" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "expireSeconds" INTEGER NOT NULL DEFAULT 3600,
ADD COLUMN     "fromDomain" VARCHAR(253),
ADD COLUMN     "host" VARCHAR(253) NOT NULL DEFAULT '',
ADD COLUMN     "numberFormat" "NumberFormat" NOT NULL DEFAULT 'E164',
ADD COLUMN     "passwordEnc" VARCHAR(512),
ADD COLUMN     "pingSeconds" INTEGER,
ADD COLUMN     "port" INTEGER,
ADD COLUMN     "realm" VARCHAR(253),
ADD COLUMN     "register" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "retrySeconds" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "transport" "GatewayTransport" NOT NULL DEFAULT 'UDP',
ADD COLUMN     "username" VARCHAR(128);

-- CreateTable
CREATE TABLE "TenantGateway" (
    "tenantId" UUID NOT NULL,
    "gatewayId" UUID NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "TenantGateway_pkey" PRIMARY KEY ("tenantId","gatewayId")
);

-- CreateIndex
CREATE INDEX "TenantGateway_gatewayId_idx" ON "TenantGateway"("gatewayId");

-- CreateIndex
CREATE UNIQUE INDEX "TenantGateway_tenantId_position_key" ON "TenantGateway"("tenantId", "position");

-- AddForeignKey
ALTER TABLE "TenantGateway" ADD CONSTRAINT "TenantGateway_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TenantGateway" ADD CONSTRAINT "TenantGateway_gatewayId_fkey" FOREIGN KEY ("gatewayId") REFERENCES "Gateway"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A tenant's one outbound gateway becomes its first (and only) assigned trunk.
INSERT INTO "TenantGateway" ("tenantId", "gatewayId", "position")
SELECT t."id", t."outboundGatewayId", 0 FROM "Tenant" t
JOIN "Gateway" g ON g."id" = t."outboundGatewayId"
WHERE g."tenantId" IS NULL OR g."tenantId" = t."id";

-- AlterTable
ALTER TABLE "Tenant" DROP COLUMN "outboundGatewayId";
