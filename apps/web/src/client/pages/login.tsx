import { LoginBody } from '@pbx/contracts';
import { Alert, Button, Container, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { call, paths } from '../api.js';
import { useFieldErrors } from '../ui/form.js';

export function LoginPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors();
  const queries = useQueryClient();
  const navigate = useNavigate();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = errors.check(LoginBody, { email, password });
    if (!body) return;
    setBusy(true);
    call(paths.login, { method: 'POST', body })
      .then(async () => {
        await queries.invalidateQueries({ queryKey: ['me'] });
        await navigate('/');
      })
      .catch((error: unknown) => errors.show(error, []))
      .finally(() => setBusy(false));
  };

  return (
    <Container size={420} py="xl">
      <Paper
        withBorder
        shadow="sm"
        p="lg"
        radius="md"
        component="form"
        onSubmit={submit}
        aria-label="Sign in"
      >
        <Stack>
          <Title order={1} size="h2">
            Sign in
          </Title>
          <TextInput
            label="E-mail"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={errors.of('email')}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={errors.of('password')}
          />
          <Button type="submit" loading={busy}>
            Sign in
          </Button>
          {errors.general && (
            <Alert color="red" role="alert">
              {errors.general}
            </Alert>
          )}
        </Stack>
      </Paper>
    </Container>
  );
}
