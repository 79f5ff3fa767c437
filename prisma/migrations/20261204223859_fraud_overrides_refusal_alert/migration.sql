-- AlterTable
ALTER TABLE "Extension" ADD COLUMN     "extraCountries" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "FraudPolicy" ADD COLUMN     "refusedAlertCount" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "refusedAlertWindowSec" INTEGER NOT NULL DEFAULT 600;
