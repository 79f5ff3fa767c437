import type { ExtensionWithPasswordSchema } from '@pbx/contracts';
import { Alert, Button, CopyButton, Group, Image, Stack, Table, Text } from '@mantine/core';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { z } from 'zod';

type Created = z.infer<typeof ExtensionWithPasswordSchema>;

/**
 * The SIP account of a new (or reset) extension. The password exists only in this answer: the page shows it
 * once, with copy buttons and a QR code of `sip:user:password@domain;transport=…` for softphones that scan one.
 */
export function Credentials({ ext, onDone }: { ext: Created; onDone: () => void }) {
  const [qr, setQr] = useState<string | null>(null);
  const uri = `sip:${ext.sip.username}:${encodeURIComponent(ext.sipPassword)}@${ext.sip.registrar};transport=${ext.sip.transport}`;
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(uri, { margin: 1, width: 192 }).then(
      (url) => live && setQr(url),
      () => live && setQr(null),
    );
    return () => {
      live = false;
    };
  }, [uri]);
  const rows: [string, string][] = [
    ['User', ext.sip.username],
    ['Domain', ext.sip.domain],
    ['Registrar', `${ext.sip.registrar} (${ext.sip.transport})`],
    ['Password', ext.sipPassword],
  ];
  return (
    <Alert
      color="yellow"
      title={`Extension ${ext.number}: enter these in the phone now`}
      data-testid="sip-credentials"
    >
      <Stack gap="xs">
        <Text size="sm">The password is not shown again; a new one can be set with “Reset password”.</Text>
        <Table aria-label="SIP credentials" withRowBorders={false}>
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th scope="row">{label}</Table.Th>
                <Table.Td
                  ff="monospace"
                  style={{ wordBreak: 'break-all' }}
                  data-testid={`sip-${label.toLowerCase()}`}
                >
                  {value}
                </Table.Td>
                <Table.Td>
                  <CopyButton value={value}>
                    {({ copied, copy }) => (
                      <Button
                        size="compact-xs"
                        variant="default"
                        onClick={copy}
                        aria-label={`Copy ${label.toLowerCase()}`}
                      >
                        {copied ? 'Copied' : 'Copy'}
                      </Button>
                    )}
                  </CopyButton>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {qr && <Image src={qr} alt="QR code with the SIP account for softphones" w={192} h={192} />}
        <Group>
          <Button variant="default" onClick={onDone}>
            I have saved them
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
