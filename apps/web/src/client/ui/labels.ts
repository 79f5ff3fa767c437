import { OutboundPolicySchema, RecordingPolicySchema } from '@pbx/contracts';

/** The words the portal uses for the API's enum values, shared by every form that offers them. */
export const recordingOptions = (inherit = 'As the tenant') =>
  RecordingPolicySchema.options.map((o) => ({
    value: o,
    label: { INHERIT: inherit, NEVER: 'Never', ALWAYS: 'Always' }[o],
  }));

export const outboundOptions = OutboundPolicySchema.options.map((o) => ({
  value: o,
  label: {
    NONE: 'None',
    LOCAL: 'Local',
    NATIONAL: 'National',
    INTERNATIONAL: 'International',
  }[o],
}));
