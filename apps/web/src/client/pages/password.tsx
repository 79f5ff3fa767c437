import { ChangePasswordBody } from '@pbx/contracts';
import { Alert, Button, Paper, PasswordInput, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { call, paths } from '../api.js';
import { useFieldErrors } from '../ui/form.js';
import { Page } from '../ui/page.js';

const FIELDS = ['currentPassword', 'newPassword'] as const;

/** Any signed-in user changes their own password; the API ends their other sessions. */
export function PasswordPage() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const errors = useFieldErrors();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    const body = errors.check(ChangePasswordBody, { currentPassword, newPassword });
    if (!body) return;
    setBusy(true);
    call(paths.password, { method: 'POST', body })
      .then(() => {
        setDone(true);
        setCurrent('');
        setNew('');
      })
      .catch((error: unknown) => errors.show(error, FIELDS))
      .finally(() => setBusy(false));
  };

  return (
    <Page title="Change password">
      <Paper withBorder p="md" maw={480} component="form" onSubmit={submit} aria-label="Change password">
        <Stack>
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            error={errors.of('currentPassword')}
          />
          <PasswordInput
            label="New password"
            description="At least 12 characters"
            autoComplete="new-password"
            value={newPassword}
            onChange={(e) => setNew(e.currentTarget.value)}
            error={errors.of('newPassword')}
          />
          <Button type="submit" loading={busy}>
            Change password
          </Button>
          {done && (
            <Alert color="green" role="status">
              Your password was changed. Your other sessions were signed out.
            </Alert>
          )}
          {errors.general && (
            <Alert color="red" role="alert">
              {errors.general}
            </Alert>
          )}
        </Stack>
      </Paper>
    </Page>
  );
}
