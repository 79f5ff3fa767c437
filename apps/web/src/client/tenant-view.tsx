import { ExtensionSchema, ExtensionWithPasswordSchema, pageOf, type Extension } from '@pbx/contracts';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { ApiError, paths, request } from './api.js';

const ExtensionPage = pageOf(ExtensionSchema);
type Created = z.infer<typeof ExtensionWithPasswordSchema>;

export function TenantView({
  tenant,
  onBack,
}: {
  tenant: { id: string; name: string; domain: string };
  onBack?: (() => void) | undefined;
}) {
  const [extensions, setExtensions] = useState<Extension[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [number, setNumber] = useState('');
  const [displayName, setDisplayName] = useState('');

  const load = useCallback(() => {
    request(ExtensionPage, `${paths.extensions(tenant.id)}?limit=200`).then(
      (page) => setExtensions(page.items),
      (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)),
    );
  }, [tenant.id]);
  useEffect(load, [load]);

  const create = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    request(ExtensionWithPasswordSchema, paths.extensions(tenant.id), {
      method: 'POST',
      body: { number, displayName },
    }).then(
      (ext) => {
        setCreated(ext);
        setNumber('');
        setDisplayName('');
        load();
      },
      (err: unknown) =>
        setError(
          err instanceof ApiError ? `${err.field ? `${err.field}: ` : ''}${err.message}` : String(err),
        ),
    );
  };

  return (
    <>
      <div className="card">
        {onBack && (
          <button className="link" onClick={onBack}>
            ← All tenants
          </button>
        )}
        <h2>
          {tenant.name} <small>({tenant.domain})</small>
        </h2>
        <h3>Extensions</h3>
        {extensions && (
          <table aria-label="Extensions">
            <thead>
              <tr>
                <th>Number</th>
                <th>Name</th>
                <th>Voicemail</th>
                <th>Do not disturb</th>
              </tr>
            </thead>
            <tbody>
              {extensions.map((x) => (
                <tr key={x.id}>
                  <td>{x.number}</td>
                  <td>{x.displayName}</td>
                  <td>{x.voicemailEnabled ? 'on' : 'off'}</td>
                  <td>{x.dnd ? 'on' : 'off'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <form className="card" onSubmit={create} aria-label="New extension">
        <h3>New extension</h3>
        <div className="row">
          <div>
            <label htmlFor="ext-number">Number</label>
            <input id="ext-number" value={number} onChange={(e) => setNumber(e.target.value)} required />
          </div>
          <div>
            <label htmlFor="ext-name">Display name</label>
            <input
              id="ext-name"
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
              required
            />
          </div>
        </div>
        <button type="submit">Create extension</button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {created && (
          <div data-testid="sip-credentials">
            <p>
              Extension {created.number} created. Enter these in the phone now: the password is not shown
              again.
            </p>
            <p className="secret">
              user {created.sip.username} · domain {created.sip.domain} · registrar {created.sip.registrar} (
              {created.sip.transport}) · password {created.sipPassword}
            </p>
          </div>
        )}
      </form>
    </>
  );
}
