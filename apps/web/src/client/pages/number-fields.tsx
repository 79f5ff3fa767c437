import { TextInput } from '@mantine/core';
import { DestinationPicker, type DraftDestination, type useTargets } from '../ui/destination.js';
import { destinationError } from '../ui/tenant.js';

/** Where a number rings and what it is for: the fields "Add number" and a number's routing form share. */
export function NumberRoutingFields({
  destination,
  setDestination,
  description,
  setDescription,
  targets,
  errorOf,
}: {
  destination: DraftDestination;
  setDestination: (d: DraftDestination) => void;
  description: string;
  setDescription: (text: string) => void;
  targets: ReturnType<typeof useTargets>;
  errorOf: (field: string) => string | undefined;
}) {
  return (
    <>
      <DestinationPicker
        label="Calls go to"
        value={destination}
        onChange={setDestination}
        targets={targets}
        error={destinationError(errorOf, 'destination')}
      />
      <TextInput
        label="Description"
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
        error={errorOf('description')}
      />
    </>
  );
}
