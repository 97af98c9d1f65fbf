/** The sentiment and rules engine: pure, I/O-free except for reading pack files. */
export * from './analyze/index.ts';
export type { CompiledPack, CompiledRule } from './engine/compile.ts';
export { compilePack, historyDaysFor } from './engine/compile.ts';
export * from './engine/evaluate.ts';
export * from './engine/loader.ts';
export * from './engine/priority.ts';
