import { Anchor, Badge, Button, Group, List, Text } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { Link } from 'react-router';
import { Section } from './form-status.js';
import {
  boxList,
  menuList,
  numberList,
  ringGroupList,
  timeConditionList,
  useExtensions,
} from './tenant-lists.js';

type Step = { to: string; label: string; done: boolean };

/**
 * The order in which a new company's phone system is set up, each step linked to its page and ticked once
 * something exists there: a time condition needs the menu and the box it sends calls to, and the phone number is
 * pointed last. Shown until the tenant's phone number leads somewhere, or until the admin hides it. The lists are
 * the pickers' own (tenant-lists.ts), so they cost nothing more.
 */
export function SetupSteps({ tenantId }: { tenantId: string }) {
  const [hidden, setHidden] = useLocalStorage({
    key: `pbx.setup-steps-hidden.${tenantId}`,
    defaultValue: false,
  });
  const exts = useExtensions(tenantId).data?.items;
  const groups = ringGroupList.use(tenantId).data?.items;
  const boxes = boxList.use(tenantId).data?.items;
  const menus = menuList.use(tenantId).data?.items;
  const conds = timeConditionList.use(tenantId).data?.items;
  const numbers = numberList.use(tenantId).data?.items;
  if (!exts || !groups || !boxes || !menus || !conds || !numbers) return null;
  const routed = numbers.some((n) => n.destination.type !== 'HANGUP');
  if (hidden || routed) return null;

  const t = `/t/${tenantId}`;
  const steps: Step[] = [
    { to: `${t}/extensions`, label: 'An extension for each person (below)', done: exts.length > 0 },
    {
      to: `${t}/ring-groups`,
      label: 'A ring group for a team that answers together',
      done: groups.length > 0,
    },
    { to: `${t}/voicemail`, label: 'A voicemail box for calls out of hours', done: boxes.length > 0 },
    {
      to: `${t}/ivr-menus`,
      label: 'An IVR menu with its greeting (then “Try it” on its page)',
      done: menus.some((m) => m.greeting),
    },
    { to: `${t}/time-conditions`, label: 'Business hours: the menu while open', done: conds.length > 0 },
    {
      to: `${t}/numbers`,
      label:
        numbers.length > 0
          ? 'Your phone number pointed at them'
          : 'Your phone number (your provider assigns it)',
      done: routed,
    },
  ];
  return (
    <Section title="Getting started">
      <Text size="sm">A receptionist menu is set up in this order:</Text>
      <List type="ordered" spacing={4} aria-label="Set-up steps">
        {steps.map((s) => (
          <List.Item key={s.to}>
            <Group gap="xs">
              <Anchor component={Link} to={s.to}>
                {s.label}
              </Anchor>
              {s.done && (
                <Badge color="teal.9" variant="filled">
                  done
                </Badge>
              )}
            </Group>
          </List.Item>
        ))}
      </List>
      <Button variant="subtle" w="fit-content" size="xs" onClick={() => setHidden(true)}>
        Hide these steps
      </Button>
    </Section>
  );
}
