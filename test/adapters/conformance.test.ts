import { keepsTheContract } from './conformance/contract.ts';
import { KITS } from './conformance/kits.ts';

// The cases are in conformance/contract.ts, the kits (fake, adapter, faults) in conformance/kits.ts.
keepsTheContract(KITS);
