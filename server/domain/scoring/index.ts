/**
 * The scoring engine's public API: exact rationals, sheet totals, aggregation (mean,
 * trimmed mean, normalization, group weights, multi-round), ranking with the tie-break
 * chain, advancement and award allocation (dry run).
 *
 * Pure: no I/O, no clock, no framework imports.
 */
export * from './errors.js';
export * from './rational.js';
export * from './sheet.js';
export * from './trim.js';
export * from './normalize.js';
export * from './combine.js';
export * from './aggregate.js';
export * from './ranking.js';
export * from './cutoff.js';
export * from './advancement.js';
export * from './awards.js';
