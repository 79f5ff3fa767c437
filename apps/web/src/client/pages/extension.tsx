import { ExtensionSchema } from '@pbx/contracts';
import { Anchor, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { paths, request } from '../api.js';
import { Loaded, Page } from '../ui/page.js';
import { ChangeNumberForm, PasswordForms } from './extension/credentials-forms.js';
import { DeleteSection } from './extension/delete-section.js';
import { ExtensionSettingsForm } from './extension/settings-form.js';

/** One extension: its settings, its SIP password, its number, and deleting it, each a form of its own. */
export function ExtensionPage() {
  const { tenantId = '', extensionId = '' } = useParams();
  const ext = useQuery({
    queryKey: ['extension', tenantId, extensionId],
    queryFn: () => request(ExtensionSchema, paths.extension(tenantId, extensionId)),
  });
  return (
    <Page title={ext.data ? `Extension ${ext.data.number}` : 'Extension'}>
      <Anchor component={Link} to={`/t/${tenantId}/extensions`}>
        ← All extensions
      </Anchor>
      <Loaded query={ext}>
        {(x) => (
          <Stack>
            <ExtensionSettingsForm key={x.id} tenantId={tenantId} ext={x} />
            <PasswordForms tenantId={tenantId} ext={x} />
            <ChangeNumberForm tenantId={tenantId} ext={x} />
            <DeleteSection tenantId={tenantId} ext={x} />
          </Stack>
        )}
      </Loaded>
    </Page>
  );
}
