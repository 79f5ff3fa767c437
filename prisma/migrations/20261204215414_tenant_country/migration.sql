-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "country" VARCHAR(2);
