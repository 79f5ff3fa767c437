export { logIn, type LoginPolicy } from './log-in.js';
export { logOut } from './log-out.js';
export { authenticateSession } from './authenticate-session.js';
export { authenticateApiKey } from './authenticate-api-key.js';
export type { Principal } from './principal.js';
export { describePrincipal, describeUser, type PrincipalDescription } from './describe-principal.js';
export { changeOwnPassword } from './change-own-password.js';
export { hasScope, hasEveryScope, requireScope, requireEveryScope, lowerRole } from './scopes.js';
