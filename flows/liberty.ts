// The open standard-cell library lowbit's ASIC figures use: OSU 0.18 um from Debian's
// qflow-tech-osu018 (LOWBIT_LIBERTY overrides the path). Every ASIC figure names it.

import { existsSync } from 'node:fs';
import { ToolMissingError } from './tool.js';

export const OSU018_LIBERTY = '/usr/share/qflow/tech/osu018/osu018_stdcells.lib';
export const LIBERTY_INSTALL = 'apt-get install -y qflow-tech-osu018';

export interface Liberty {
  path: string;
  /** What reports call it. */
  name: string;
}

export function liberty(): Liberty {
  const path = process.env.LOWBIT_LIBERTY ?? OSU018_LIBERTY;
  if (!existsSync(path)) throw new ToolMissingError(`the OSU 0.18 um liberty (${path})`, LIBERTY_INSTALL);
  return { path, name: process.env.LOWBIT_LIBERTY ? path : 'OSU 0.18 um (qflow-tech-osu018, osu018_stdcells.lib)' };
}
