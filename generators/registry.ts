// Every family lowbit knows. A new family is one import and one entry here.

import type { Family, CommonParams } from './common/family.js';
import { UsageError } from './common/params.js';
import { ternary } from './ternary/index.js';
import { dense } from './dense/index.js';
import { nmsparse } from './nmsparse/index.js';
import { lutgemm } from './lutgemm/index.js';

export const FAMILIES: Record<string, Family<CommonParams>> = {
  ternary: ternary as unknown as Family<CommonParams>,
  dense: dense as unknown as Family<CommonParams>,
  nmsparse: nmsparse as unknown as Family<CommonParams>,
  lutgemm: lutgemm as unknown as Family<CommonParams>,
};

export function getFamily(name: string): Family<CommonParams> {
  const f = FAMILIES[name];
  if (!f) throw new UsageError(`family must be one of ${Object.keys(FAMILIES).join(', ')}, not ${JSON.stringify(name)}`);
  return f;
}
