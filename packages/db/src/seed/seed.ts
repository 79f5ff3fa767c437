import type { PrismaClient } from '../generated/prisma/client.js';
import { DEMO } from './demo.js';

/** Hashing lives in @pbx/domain; the seed takes it as input so db stays below domain. */
export type SeedHashers = {
  hashSecret: (secret: string) => Promise<string>;
  sipA1Hash: (user: string, domain: string, password: string) => string;
};

export type SeedResult = { tenantId: string; adminEmail: string; created: boolean };

/**
 * Creates the demo platform: a platform admin, one tenant with extensions,
 * a voicemail box, an IVR menu and a DID routed to it. Idempotent: objects are
 * found by their natural keys and left alone (passwords are not reset) when
 * they already exist.
 */
export async function seedDemo(prisma: PrismaClient, hash: SeedHashers): Promise<SeedResult> {
  let created = false;
  const admin = await prisma.user.findUnique({ where: { email: DEMO.admin.email } });
  if (!admin) {
    created = true;
    await prisma.user.create({
      data: {
        email: DEMO.admin.email,
        name: DEMO.admin.name,
        role: 'PLATFORM_ADMIN',
        passwordHash: await hash.hashSecret(DEMO.admin.password),
      },
    });
  }

  const tenant = await prisma.tenant.upsert({
    where: { domain: DEMO.tenant.domain },
    update: {},
    create: { ...DEMO.tenant, maxExtensions: 50, defaultCallerIdNumber: DEMO.did.e164 },
  });

  const box = await prisma.voicemailBox.upsert({
    where: { tenantId_number: { tenantId: tenant.id, number: DEMO.voicemail.number } },
    update: {},
    create: {
      tenantId: tenant.id,
      number: DEMO.voicemail.number,
      name: DEMO.voicemail.name,
      email: DEMO.voicemail.email,
      pinHash: await hash.hashSecret(DEMO.voicemail.pin),
    },
  });

  const extensionIds: Record<string, string> = {};
  for (const ext of DEMO.extensions) {
    const existing = await prisma.extension.findUnique({
      where: { tenantId_number: { tenantId: tenant.id, number: ext.number } },
    });
    if (existing) {
      extensionIds[ext.number] = existing.id;
      continue;
    }
    created = true;
    const row = await prisma.extension.create({
      data: {
        tenantId: tenant.id,
        number: ext.number,
        displayName: ext.displayName,
        sipA1Hash: hash.sipA1Hash(ext.number, tenant.domain, ext.sipPassword),
        voicemailBoxId: ext.number === DEMO.voicemail.number ? box.id : null,
      },
    });
    extensionIds[ext.number] = row.id;
  }

  const reception = extensionIds['1001'];
  const sales = extensionIds['1002'];
  const support = extensionIds['1003'];
  if (!reception || !sales || !support) throw new Error('demo extensions missing after seeding');

  let menu = await prisma.ivrMenu.findUnique({
    where: { tenantId_name: { tenantId: tenant.id, name: DEMO.ivr.name } },
  });
  if (!menu) {
    created = true;
    menu = await prisma.ivrMenu.create({
      data: {
        tenantId: tenant.id,
        name: DEMO.ivr.name,
        number: DEMO.ivr.number,
        timeoutDestType: 'EXTENSION',
        timeoutDestValue: reception,
        invalidDestType: 'VOICEMAIL',
        invalidDestValue: box.id,
      },
    });
    // Options reference the menu through (menuId, tenantId), so they are
    // created on their own rather than nested under the menu.
    await prisma.ivrOption.createMany({
      data: [
        { tenantId: tenant.id, menuId: menu.id, digits: '1', destType: 'EXTENSION', destValue: sales },
        { tenantId: tenant.id, menuId: menu.id, digits: '2', destType: 'EXTENSION', destValue: support },
        { tenantId: tenant.id, menuId: menu.id, digits: '0', destType: 'EXTENSION', destValue: reception },
      ],
    });
  }

  await prisma.inboundNumber.upsert({
    where: { e164: DEMO.did.e164 },
    update: {},
    create: {
      tenantId: tenant.id,
      e164: DEMO.did.e164,
      description: DEMO.did.description,
      destType: 'IVR_MENU',
      destValue: menu.id,
    },
  });

  const owner = await prisma.user.findUnique({ where: { email: DEMO.tenantAdmin.email } });
  if (!owner) {
    created = true;
    await prisma.user.create({
      data: {
        email: DEMO.tenantAdmin.email,
        name: DEMO.tenantAdmin.name,
        role: 'TENANT_ADMIN',
        tenantId: tenant.id,
        passwordHash: await hash.hashSecret(DEMO.tenantAdmin.password),
      },
    });
  }

  return { tenantId: tenant.id, adminEmail: DEMO.admin.email, created };
}
