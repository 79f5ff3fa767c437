import type { Db } from '@pbx/db';
import { sha256 } from '../security/tokens.js';

export async function logOut(db: Db, sessionToken: string): Promise<void> {
  await db.session.deleteMany({ where: { tokenHash: sha256(sessionToken) } });
}
