// `npm run media:prompts`: generates the built-in prompt set into MEDIA_DIR/prompts (what the controller
// also does at start), so a deployment can have it ready before the first call. Idempotent.
import { ConfigError, env, parseEnv, z } from '@pbx/config';
import { ensurePromptSet, mediaLayout } from '@pbx/media';

async function main(): Promise<void> {
  const { MEDIA_DIR } = parseEnv(z.object({ MEDIA_DIR: env.dir('/var/lib/pbx/media') }), process.env);
  const result = await ensurePromptSet(mediaLayout(MEDIA_DIR));
  console.log(
    `prompts in ${result.dir}: ${result.generated.length} generated, ${result.kept} already up to date`,
  );
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError
      ? error.message
      : `prompt generation failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
