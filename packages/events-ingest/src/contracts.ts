// The shapes live in packages/contracts/src/calls. @pbx/contracts does not yet
// export a "./calls" subpath (its package.json belongs to another work
// stream), so they are imported by path through this one file; switch it to
// `@pbx/contracts/calls` once that subpath exists.
export * from '../../contracts/src/calls/index.js';
