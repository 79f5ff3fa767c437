-- greetingFile held a free-text path that nothing wrote or played. The audio of a greeting now lives at
-- the path the @pbx/media layout derives from tenant, owner and kind. These columns say which exist and since when.
-- AlterTable
ALTER TABLE "IvrMenu" DROP COLUMN "greetingFile",
ADD COLUMN     "greetingUpdatedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "VoicemailBox" DROP COLUMN "greetingFile",
ADD COLUMN     "greetingBusyAt" TIMESTAMPTZ(3),
ADD COLUMN     "greetingNameAt" TIMESTAMPTZ(3),
ADD COLUMN     "greetingUnavailableAt" TIMESTAMPTZ(3);
