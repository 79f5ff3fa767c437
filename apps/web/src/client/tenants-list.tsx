import { TenantSchema, pageOf, type Tenant } from '@pbx/contracts';
import { useEffect, useState } from 'react';
import { paths, request } from './api.js';

const TenantPage = pageOf(TenantSchema);

export function TenantsList({ onOpen }: { onOpen: (t: Tenant) => void }) {
  const [tenants, setTenants] = useState<Tenant[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    request(TenantPage, `${paths.tenants}?limit=200`).then(
      (page) => setTenants(page.items),
      (e: unknown) => setError(String(e)),
    );
  }, []);
  return (
    <div className="card">
      <h2>Tenants</h2>
      {error && <p className="error">{error}</p>}
      {tenants && (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>SIP domain</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {tenants.map((t) => (
              <tr key={t.id}>
                <td>
                  <button className="link" onClick={() => onOpen(t)}>
                    {t.name}
                  </button>
                </td>
                <td>{t.domain}</td>
                <td>{t.status.toLowerCase()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
