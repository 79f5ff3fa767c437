import { GreetingResultSchema, type GreetingKind, type VoicemailBox } from '@pbx/contracts';
import { Button, FileInput, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { call, errorText, fetchBlob, paths, request } from '../api.js';
import { useDateFormat } from '../ui/dates.js';
import { useFieldErrors } from '../ui/form.js';

const KINDS: { kind: GreetingKind; label: string; none: string }[] = [
  { kind: 'unavailable', label: 'When not answered', none: 'the spoken default plays' },
  { kind: 'busy', label: 'When busy', none: 'the “not answered” greeting plays' },
  { kind: 'name', label: 'Recorded name', none: 'the box number is spoken' },
];

/** The box's three greetings: uploaded, played here, removed. */
export function VoicemailGreetings({ tenantId, box }: { tenantId: string; box: VoicemailBox }) {
  return (
    <Paper withBorder p="md" component="section" aria-label="Greetings">
      <Stack>
        <Title order={2} size="h4">
          Greetings
        </Title>
        {KINDS.map((k) => (
          <OneGreeting key={k.kind} tenantId={tenantId} box={box} {...k} />
        ))}
      </Stack>
    </Paper>
  );
}

function OneGreeting({
  tenantId,
  box,
  kind,
  label,
  none,
}: {
  tenantId: string;
  box: VoicemailBox;
  kind: GreetingKind;
  label: string;
  none: string;
}) {
  const url = `${paths.box(tenantId, box.id)}/greetings/${kind}`;
  const stored = box.greetings[kind];
  const date = useDateFormat(tenantId);
  const [file, setFile] = useState<File | null>(null);
  const [audio, setAudio] = useState<string | null>(null);
  const errors = useFieldErrors();
  const queries = useQueryClient();
  useEffect(() => () => void (audio && URL.revokeObjectURL(audio)), [audio]);
  const done = async () => {
    setFile(null);
    setAudio(null);
    await queries.invalidateQueries({ queryKey: ['box', tenantId, box.id] });
  };
  const upload = useMutation({
    mutationFn: (f: File) => {
      const form = new FormData();
      form.append('file', f);
      return request(GreetingResultSchema, url, { method: 'PUT', form });
    },
    onSuccess: done,
    onError: (e) => errors.show(e, ['file']),
  });
  const remove = useMutation({ mutationFn: () => call(url, { method: 'DELETE' }), onSuccess: done });
  const play = useMutation({
    mutationFn: () => fetchBlob(url),
    onSuccess: (blob) => setAudio(URL.createObjectURL(blob)),
  });
  const failed = play.error ?? remove.error;
  return (
    <Stack gap={6}>
      <Text fw={600} size="sm">
        {label}:{' '}
        <Text span size="sm" fw={400}>
          {stored ? `recorded, updated ${date(stored.updatedAt)}` : `none, ${none}`}
        </Text>
      </Text>
      <Group align="flex-end" gap="xs" wrap="wrap">
        <FileInput
          label={`${label}: upload (WAV, MP3 or OGG)`}
          accept="audio/wav,audio/mpeg,audio/ogg,.wav,.mp3,.ogg"
          value={file}
          onChange={setFile}
          error={errors.of('file')}
          miw={220}
          clearable
        />
        <Button disabled={!file} loading={upload.isPending} onClick={() => file && upload.mutate(file)}>
          Upload
        </Button>
        {stored && (
          <>
            <Button variant="default" onClick={() => play.mutate()} loading={play.isPending}>
              Play
            </Button>
            <Button variant="subtle" color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
              Remove
            </Button>
          </>
        )}
      </Group>
      {audio && <audio controls src={audio} aria-label={`${label} greeting playback`} />}
      {(errors.general ?? failed) && (
        <Text c="red" role="alert" size="sm">
          {errors.general ?? errorText(failed)}
        </Text>
      )}
    </Stack>
  );
}
