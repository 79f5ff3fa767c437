-- AlterTable
ALTER TABLE "IvrMenu" DROP COLUMN "invalidFile";
