/**
 * Public surface of the block layer (B1, B2): the pmem device.
 *
 * Invariant: this module only re-exports.
 */
export { CHUNK_BYTES, LINE_BYTES } from './chunk.js';
export { type CrashLoss, type DaxRange, PmemDevice, type PmemOptions } from './pmem.js';
