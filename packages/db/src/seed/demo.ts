/** Known demo credentials, printed by `npm start` and documented in the README. Never use in production. */
export const DEMO = {
  admin: { email: 'admin@pbx.local', password: 'admin-demo-password', name: 'Platform Admin' },
  tenantAdmin: { email: 'owner@demo.pbx.local', password: 'owner-demo-password', name: 'Demo Owner' },
  tenant: { name: 'Demo Company', domain: 'demo.pbx.local', timeZone: 'Europe/London', country: 'GB' },
  extensions: [
    { number: '1001', displayName: 'Alice Reception', sipPassword: 'demo-sip-1001' },
    { number: '1002', displayName: 'Bob Sales', sipPassword: 'demo-sip-1002' },
    { number: '1003', displayName: 'Carol Support', sipPassword: 'demo-sip-1003' },
  ],
  voicemail: { number: '1001', name: 'Reception', pin: '4321', email: 'reception@demo.pbx.local' },
  ivr: { name: 'Main menu', number: '5000' },
  did: { e164: '+442071838750', description: 'Main line' },
} as const;
