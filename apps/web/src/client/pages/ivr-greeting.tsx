import { GreetingResultSchema, MAX_GREETING_TEXT, TextGreetingBody, type IvrMenu } from '@pbx/contracts';
import { Button, FileInput, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { call, errorText, fetchBlob, paths, request } from '../api.js';
import { useDateFormat } from '../ui/dates.js';
import { useFieldErrors } from '../ui/form.js';
import { menuList } from '../ui/tenant-lists.js';

/** The menu's greeting: an uploaded recording or typed text (spoken by the server), played here before saving. */
export function Greeting({ tenantId, menu }: { tenantId: string; menu: IvrMenu }) {
  const url = `${paths.menu(tenantId, menu.id)}/greeting`;
  const date = useDateFormat(tenantId);
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [audio, setAudio] = useState<string | null>(null);
  const errors = useFieldErrors();
  const queries = useQueryClient();

  useEffect(
    () => () => {
      if (audio) URL.revokeObjectURL(audio);
    },
    [audio],
  );

  const done = async () => {
    setFile(null);
    setText('');
    setAudio(null);
    await queries.invalidateQueries({ queryKey: ['menu', tenantId, menu.id] });
    await queries.invalidateQueries({ queryKey: menuList.key(tenantId) });
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
  const speak = useMutation({
    mutationFn: (body: unknown) => request(GreetingResultSchema, `${url}/text`, { method: 'PUT', body }),
    onSuccess: done,
    onError: (e) => errors.show(e, ['text']),
  });
  const remove = useMutation({ mutationFn: () => call(url, { method: 'DELETE' }), onSuccess: done });
  const play = useMutation({
    mutationFn: () => fetchBlob(url),
    onSuccess: (blob) => setAudio(URL.createObjectURL(blob)),
  });

  return (
    <Paper withBorder p="md" aria-label="Greeting" component="section">
      <Stack>
        <Title order={2} size="h4">
          Greeting
        </Title>
        <Text size="sm">
          {menu.greeting
            ? `Recorded greeting, updated ${date(menu.greeting.updatedAt)}.`
            : 'No greeting yet: callers hear the spoken default.'}
        </Text>
        {menu.greeting && (
          <Group>
            <Button variant="default" onClick={() => play.mutate()} loading={play.isPending}>
              Play greeting
            </Button>
            <Button variant="subtle" color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
              Remove greeting
            </Button>
          </Group>
        )}
        {audio && <audio controls src={audio} data-testid="greeting-audio" aria-label="Greeting playback" />}
        <Group align="flex-end" wrap="wrap">
          <FileInput
            label="Upload a recording (WAV, MP3 or OGG)"
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
        </Group>
        <Textarea
          label="Or type what callers should hear"
          description={`Up to ${MAX_GREETING_TEXT} characters, spoken by the text-to-speech engine`}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={errors.of('text')}
          autosize
          minRows={2}
        />
        <Button
          w="fit-content"
          disabled={!text.trim()}
          loading={speak.isPending}
          onClick={() => {
            const body = errors.check(TextGreetingBody, { text });
            if (body) speak.mutate(body);
          }}
        >
          Use this text
        </Button>
        {errors.general && (
          <Text c="red" role="alert">
            {errors.general}
          </Text>
        )}
        {play.error && (
          <Text c="red" role="alert">
            {errorText(play.error)}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
