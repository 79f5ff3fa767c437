-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "TenantStatus" AS ENUM ('ACTIVE', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "RecordingPolicy" AS ENUM ('INHERIT', 'NEVER', 'ALWAYS');

-- CreateEnum
CREATE TYPE "OutboundPolicy" AS ENUM ('NONE', 'LOCAL', 'NATIONAL', 'INTERNATIONAL');

-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('PLATFORM_ADMIN', 'TENANT_ADMIN', 'TENANT_USER');

-- CreateEnum
CREATE TYPE "DestinationType" AS ENUM ('EXTENSION', 'VOICEMAIL', 'IVR_MENU', 'RING_GROUP', 'TIME_CONDITION', 'EXTERNAL', 'HANGUP');

-- CreateEnum
CREATE TYPE "EmailDeliveryState" AS ENUM ('NOT_REQUIRED', 'PENDING', 'SENT', 'FAILED');

-- CreateEnum
CREATE TYPE "RingStrategy" AS ENUM ('SIMULTANEOUS', 'SEQUENTIAL');

-- CreateEnum
CREATE TYPE "RecordingState" AS ENUM ('RECORDING', 'PROCESSING', 'READY', 'FAILED', 'DELETED');

-- CreateEnum
CREATE TYPE "CallDirection" AS ENUM ('INBOUND', 'OUTBOUND', 'INTERNAL');

-- CreateTable
CREATE TABLE "Tenant" (
    "id" UUID NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "domain" VARCHAR(253) NOT NULL,
    "timeZone" VARCHAR(64) NOT NULL DEFAULT 'UTC',
    "status" "TenantStatus" NOT NULL DEFAULT 'ACTIVE',
    "maxExtensions" INTEGER NOT NULL DEFAULT 50,
    "maxConcurrentOutbound" INTEGER NOT NULL DEFAULT 10,
    "allowInternational" BOOLEAN NOT NULL DEFAULT false,
    "allowPremium" BOOLEAN NOT NULL DEFAULT false,
    "recordingPolicy" "RecordingPolicy" NOT NULL DEFAULT 'NEVER',
    "recordingRetentionDays" INTEGER NOT NULL DEFAULT 90,
    "defaultCallerIdNumber" VARCHAR(16),
    "outboundGatewayId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Gateway" (
    "id" UUID NOT NULL,
    "tenantId" UUID,
    "fsName" VARCHAR(64) NOT NULL,
    "description" VARCHAR(200) NOT NULL DEFAULT '',
    "prefix" VARCHAR(16) NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Gateway_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "tenantId" UUID,
    "email" VARCHAR(254) NOT NULL,
    "name" VARCHAR(120) NOT NULL DEFAULT '',
    "passwordHash" VARCHAR(255) NOT NULL,
    "role" "UserRole" NOT NULL,
    "extensionId" UUID,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "failedLogins" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMPTZ(3),
    "lastLoginAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "tokenHash" VARCHAR(64) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" VARCHAR(64),
    "userAgent" VARCHAR(300),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "tenantId" UUID,
    "name" VARCHAR(120) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "keyHash" VARCHAR(64) NOT NULL,
    "role" "UserRole" NOT NULL,
    "createdById" UUID,
    "lastUsedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Extension" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "number" VARCHAR(8) NOT NULL,
    "displayName" VARCHAR(80) NOT NULL,
    "callerIdName" VARCHAR(80),
    "callerIdNumber" VARCHAR(16),
    "sipA1Hash" CHAR(32) NOT NULL,
    "passwordSetAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "voicemailEnabled" BOOLEAN NOT NULL DEFAULT true,
    "voicemailBoxId" UUID,
    "recordingPolicy" "RecordingPolicy" NOT NULL DEFAULT 'INHERIT',
    "outboundPolicy" "OutboundPolicy" NOT NULL DEFAULT 'NATIONAL',
    "ringTimeoutSec" INTEGER NOT NULL DEFAULT 25,
    "dnd" BOOLEAN NOT NULL DEFAULT false,
    "forwardAlwaysType" "DestinationType",
    "forwardAlwaysValue" VARCHAR(64),
    "forwardBusyType" "DestinationType",
    "forwardBusyValue" VARCHAR(64),
    "forwardNoAnswerType" "DestinationType",
    "forwardNoAnswerValue" VARCHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Extension_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VoicemailBox" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "number" VARCHAR(8) NOT NULL,
    "name" VARCHAR(80) NOT NULL,
    "pinHash" VARCHAR(255) NOT NULL,
    "greetingFile" VARCHAR(500),
    "email" VARCHAR(254),
    "attachAudio" BOOLEAN NOT NULL DEFAULT true,
    "deleteAfterEmail" BOOLEAN NOT NULL DEFAULT false,
    "maxMessages" INTEGER NOT NULL DEFAULT 100,
    "maxMessageSec" INTEGER NOT NULL DEFAULT 180,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "VoicemailBox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VoicemailMessage" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "boxId" UUID NOT NULL,
    "callUuid" VARCHAR(64) NOT NULL,
    "callerIdName" VARCHAR(80) NOT NULL DEFAULT '',
    "callerIdNumber" VARCHAR(32) NOT NULL DEFAULT '',
    "durationSec" INTEGER NOT NULL,
    "filePath" VARCHAR(500) NOT NULL,
    "format" VARCHAR(8) NOT NULL DEFAULT 'wav',
    "sizeBytes" INTEGER NOT NULL DEFAULT 0,
    "readAt" TIMESTAMPTZ(3),
    "emailState" "EmailDeliveryState" NOT NULL DEFAULT 'NOT_REQUIRED',
    "emailAttempts" INTEGER NOT NULL DEFAULT 0,
    "emailError" VARCHAR(500),
    "emailedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VoicemailMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IvrMenu" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" VARCHAR(80) NOT NULL,
    "number" VARCHAR(8),
    "greetingFile" VARCHAR(500) NOT NULL,
    "invalidFile" VARCHAR(500),
    "timeoutSec" INTEGER NOT NULL DEFAULT 5,
    "interDigitTimeoutMs" INTEGER NOT NULL DEFAULT 2000,
    "maxFailures" INTEGER NOT NULL DEFAULT 3,
    "directDial" BOOLEAN NOT NULL DEFAULT false,
    "timeoutDestType" "DestinationType" NOT NULL,
    "timeoutDestValue" VARCHAR(64),
    "invalidDestType" "DestinationType" NOT NULL,
    "invalidDestValue" VARCHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "IvrMenu_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IvrOption" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "menuId" UUID NOT NULL,
    "digits" VARCHAR(4) NOT NULL,
    "destType" "DestinationType" NOT NULL,
    "destValue" VARCHAR(64),

    CONSTRAINT "IvrOption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RingGroup" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" VARCHAR(80) NOT NULL,
    "number" VARCHAR(8),
    "strategy" "RingStrategy" NOT NULL DEFAULT 'SIMULTANEOUS',
    "ringTimeoutSec" INTEGER NOT NULL DEFAULT 25,
    "fallbackDestType" "DestinationType" NOT NULL,
    "fallbackDestValue" VARCHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RingGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RingGroupMember" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "ringGroupId" UUID NOT NULL,
    "extensionId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "timeoutSec" INTEGER,

    CONSTRAINT "RingGroupMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundNumber" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "e164" VARCHAR(16) NOT NULL,
    "description" VARCHAR(200) NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "destType" "DestinationType" NOT NULL,
    "destValue" VARCHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "InboundNumber_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TimeCondition" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" VARCHAR(80) NOT NULL,
    "matchDestType" "DestinationType" NOT NULL,
    "matchDestValue" VARCHAR(64),
    "noMatchDestType" "DestinationType" NOT NULL,
    "noMatchDestValue" VARCHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TimeCondition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TimeConditionRange" (
    "id" UUID NOT NULL,
    "timeConditionId" UUID NOT NULL,
    "dayOfWeek" SMALLINT NOT NULL,
    "startMinute" SMALLINT NOT NULL,
    "endMinute" SMALLINT NOT NULL,

    CONSTRAINT "TimeConditionRange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TimeConditionHoliday" (
    "id" UUID NOT NULL,
    "timeConditionId" UUID NOT NULL,
    "date" DATE NOT NULL,
    "name" VARCHAR(80) NOT NULL DEFAULT '',

    CONSTRAINT "TimeConditionHoliday_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CallRecording" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "callUuid" VARCHAR(64) NOT NULL,
    "extensionId" UUID,
    "filePath" VARCHAR(500) NOT NULL,
    "format" VARCHAR(8) NOT NULL DEFAULT 'wav',
    "durationSec" INTEGER,
    "sizeBytes" INTEGER,
    "state" "RecordingState" NOT NULL DEFAULT 'RECORDING',
    "error" VARCHAR(500),
    "expiresAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CallRecording_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Cdr" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "callUuid" VARCHAR(64) NOT NULL,
    "bridgeUuid" VARCHAR(64),
    "direction" "CallDirection" NOT NULL,
    "fromNumber" VARCHAR(64) NOT NULL,
    "fromName" VARCHAR(80) NOT NULL DEFAULT '',
    "toNumber" VARCHAR(64) NOT NULL,
    "did" VARCHAR(16),
    "extensionNumber" VARCHAR(8),
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "answeredAt" TIMESTAMPTZ(3),
    "endedAt" TIMESTAMPTZ(3) NOT NULL,
    "durationSec" INTEGER NOT NULL,
    "billsec" INTEGER NOT NULL,
    "hangupCause" VARCHAR(64) NOT NULL,
    "blockedReason" VARCHAR(64),
    "recordingId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Cdr_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" UUID NOT NULL,
    "tenantId" UUID,
    "actorUserId" UUID,
    "actorApiKeyId" UUID,
    "action" VARCHAR(64) NOT NULL,
    "entityType" VARCHAR(40) NOT NULL,
    "entityId" VARCHAR(64),
    "before" JSONB,
    "after" JSONB,
    "ip" VARCHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "id" UUID NOT NULL,
    "principal" VARCHAR(64) NOT NULL,
    "key" VARCHAR(200) NOT NULL,
    "requestHash" CHAR(64) NOT NULL,
    "responseStatus" INTEGER NOT NULL,
    "responseBody" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Tenant_domain_key" ON "Tenant"("domain");

-- CreateIndex
CREATE UNIQUE INDEX "Gateway_fsName_key" ON "Gateway"("fsName");

-- CreateIndex
CREATE INDEX "Gateway_tenantId_idx" ON "Gateway"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_extensionId_key" ON "User"("extensionId");

-- CreateIndex
CREATE INDEX "User_tenantId_idx" ON "User"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_keyHash_key" ON "ApiKey"("keyHash");

-- CreateIndex
CREATE INDEX "ApiKey_tenantId_idx" ON "ApiKey"("tenantId");

-- CreateIndex
CREATE INDEX "Extension_voicemailBoxId_idx" ON "Extension"("voicemailBoxId");

-- CreateIndex
CREATE UNIQUE INDEX "Extension_tenantId_number_key" ON "Extension"("tenantId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Extension_id_tenantId_key" ON "Extension"("id", "tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "VoicemailBox_tenantId_number_key" ON "VoicemailBox"("tenantId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "VoicemailBox_id_tenantId_key" ON "VoicemailBox"("id", "tenantId");

-- CreateIndex
CREATE INDEX "VoicemailMessage_tenantId_boxId_createdAt_idx" ON "VoicemailMessage"("tenantId", "boxId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "VoicemailMessage_boxId_callUuid_key" ON "VoicemailMessage"("boxId", "callUuid");

-- CreateIndex
CREATE INDEX "IvrMenu_tenantId_number_idx" ON "IvrMenu"("tenantId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "IvrMenu_tenantId_name_key" ON "IvrMenu"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "IvrMenu_id_tenantId_key" ON "IvrMenu"("id", "tenantId");

-- CreateIndex
CREATE INDEX "IvrOption_tenantId_destType_destValue_idx" ON "IvrOption"("tenantId", "destType", "destValue");

-- CreateIndex
CREATE UNIQUE INDEX "IvrOption_menuId_digits_key" ON "IvrOption"("menuId", "digits");

-- CreateIndex
CREATE INDEX "RingGroup_tenantId_number_idx" ON "RingGroup"("tenantId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "RingGroup_tenantId_name_key" ON "RingGroup"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "RingGroup_id_tenantId_key" ON "RingGroup"("id", "tenantId");

-- CreateIndex
CREATE INDEX "RingGroupMember_extensionId_idx" ON "RingGroupMember"("extensionId");

-- CreateIndex
CREATE UNIQUE INDEX "RingGroupMember_ringGroupId_extensionId_key" ON "RingGroupMember"("ringGroupId", "extensionId");

-- CreateIndex
CREATE UNIQUE INDEX "RingGroupMember_ringGroupId_position_key" ON "RingGroupMember"("ringGroupId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "InboundNumber_e164_key" ON "InboundNumber"("e164");

-- CreateIndex
CREATE INDEX "InboundNumber_tenantId_destType_destValue_idx" ON "InboundNumber"("tenantId", "destType", "destValue");

-- CreateIndex
CREATE UNIQUE INDEX "TimeCondition_tenantId_name_key" ON "TimeCondition"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "TimeCondition_id_tenantId_key" ON "TimeCondition"("id", "tenantId");

-- CreateIndex
CREATE INDEX "TimeConditionRange_timeConditionId_idx" ON "TimeConditionRange"("timeConditionId");

-- CreateIndex
CREATE UNIQUE INDEX "TimeConditionHoliday_timeConditionId_date_key" ON "TimeConditionHoliday"("timeConditionId", "date");

-- CreateIndex
CREATE INDEX "CallRecording_tenantId_createdAt_idx" ON "CallRecording"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "CallRecording_state_expiresAt_idx" ON "CallRecording"("state", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "CallRecording_callUuid_filePath_key" ON "CallRecording"("callUuid", "filePath");

-- CreateIndex
CREATE UNIQUE INDEX "Cdr_callUuid_key" ON "Cdr"("callUuid");

-- CreateIndex
CREATE INDEX "Cdr_tenantId_startedAt_idx" ON "Cdr"("tenantId", "startedAt");

-- CreateIndex
CREATE INDEX "Cdr_tenantId_extensionNumber_startedAt_idx" ON "Cdr"("tenantId", "extensionNumber", "startedAt");

-- CreateIndex
CREATE INDEX "AuditLog_tenantId_createdAt_idx" ON "AuditLog"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_entityType_entityId_idx" ON "AuditLog"("entityType", "entityId");

-- CreateIndex
CREATE INDEX "IdempotencyRecord_createdAt_idx" ON "IdempotencyRecord"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyRecord_principal_key_key" ON "IdempotencyRecord"("principal", "key");

-- AddForeignKey
ALTER TABLE "Tenant" ADD CONSTRAINT "Tenant_outboundGatewayId_fkey" FOREIGN KEY ("outboundGatewayId") REFERENCES "Gateway"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Gateway" ADD CONSTRAINT "Gateway_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_extensionId_fkey" FOREIGN KEY ("extensionId") REFERENCES "Extension"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Extension" ADD CONSTRAINT "Extension_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Extension" ADD CONSTRAINT "Extension_voicemailBoxId_fkey" FOREIGN KEY ("voicemailBoxId") REFERENCES "VoicemailBox"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VoicemailBox" ADD CONSTRAINT "VoicemailBox_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VoicemailMessage" ADD CONSTRAINT "VoicemailMessage_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VoicemailMessage" ADD CONSTRAINT "VoicemailMessage_boxId_tenantId_fkey" FOREIGN KEY ("boxId", "tenantId") REFERENCES "VoicemailBox"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IvrMenu" ADD CONSTRAINT "IvrMenu_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IvrOption" ADD CONSTRAINT "IvrOption_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IvrOption" ADD CONSTRAINT "IvrOption_menuId_tenantId_fkey" FOREIGN KEY ("menuId", "tenantId") REFERENCES "IvrMenu"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RingGroup" ADD CONSTRAINT "RingGroup_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RingGroupMember" ADD CONSTRAINT "RingGroupMember_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RingGroupMember" ADD CONSTRAINT "RingGroupMember_ringGroupId_tenantId_fkey" FOREIGN KEY ("ringGroupId", "tenantId") REFERENCES "RingGroup"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RingGroupMember" ADD CONSTRAINT "RingGroupMember_extensionId_tenantId_fkey" FOREIGN KEY ("extensionId", "tenantId") REFERENCES "Extension"("id", "tenantId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundNumber" ADD CONSTRAINT "InboundNumber_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimeCondition" ADD CONSTRAINT "TimeCondition_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimeConditionRange" ADD CONSTRAINT "TimeConditionRange_timeConditionId_fkey" FOREIGN KEY ("timeConditionId") REFERENCES "TimeCondition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimeConditionHoliday" ADD CONSTRAINT "TimeConditionHoliday_timeConditionId_fkey" FOREIGN KEY ("timeConditionId") REFERENCES "TimeCondition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallRecording" ADD CONSTRAINT "CallRecording_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallRecording" ADD CONSTRAINT "CallRecording_extensionId_fkey" FOREIGN KEY ("extensionId") REFERENCES "Extension"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cdr" ADD CONSTRAINT "Cdr_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cdr" ADD CONSTRAINT "Cdr_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "CallRecording"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
