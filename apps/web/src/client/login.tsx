import { MeSchema } from '@pbx/contracts';
import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { ApiError, paths, request } from './api.js';

export function Login({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    request(z.union([MeSchema, z.unknown()]), paths.login, { method: 'POST', body: { email, password } })
      .then(onLoggedIn, (err: unknown) =>
        setError(err instanceof ApiError ? err.message : 'Cannot reach the server'),
      )
      .finally(() => setBusy(false));
  };

  return (
    <form className="card login" onSubmit={submit} aria-label="Sign in">
      <h1>Sign in</h1>
      <label htmlFor="email">E-mail</label>
      <input
        id="email"
        type="email"
        autoComplete="username"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        required
      />
      <label htmlFor="password">Password</label>
      <input
        id="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
      />
      <button type="submit" disabled={busy}>
        Sign in
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
