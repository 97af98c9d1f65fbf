// The backtest thread's entry: odziv runs from its TypeScript sources, so the thread loads them through tsx too.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
