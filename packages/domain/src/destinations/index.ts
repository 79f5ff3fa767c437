export { toDestination, toOptionalDestination, destinationColumns } from './columns.js';
export { assertDestination, assertDestinations } from './assert-destination.js';
export { findReferrers, type Referrer } from './find-referrers.js';
export { guardDelete } from './guard-delete.js';
export { parseReroute } from './parse-reroute.js';
