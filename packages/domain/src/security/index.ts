export { hashSecret, verifySecret, DUMMY_HASH } from './password.js';
export { sipA1Hash, generateSipPassword } from './sip.js';
export { sha256, randomToken, generateApiKey } from './tokens.js';
