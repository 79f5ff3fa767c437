export { listCdrs } from './list-cdrs.js';
export { getCdr } from './get-cdr.js';
export { exportCdrs, CDR_EXPORT_MAX_ROWS } from './export-cdrs.js';
export type { CdrFilter } from './cdr-where.js';
