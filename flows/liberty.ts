// The open standard-cell library lowbit's ASIC figures use: OSU 0.18 um from Debian's
// qflow-tech-osu018 (LOWBIT_LIBERTY overrides the path). Every ASIC figure names it.

import { existsSync, statSync } from 'node:fs';
import { ToolMissingError } from './tool.js';
import { UsageError } from '../generators/common/params.js';

export const OSU018_LIBERTY = '/usr/share/qflow/tech/osu018/osu018_stdcells.lib';
export const LIBERTY_INSTALL = 'apt-get install -y qflow-tech-osu018';

export interface Liberty {
  path: string;
  /** What reports call it. */
  name: string;
}

export function liberty(): Liberty {
  const given = process.env.LOWBIT_LIBERTY;
  // A path the user named is bad input when it is wrong (installing the default library would not help).
  if (given !== undefined) {
    if (!existsSync(given)) throw new UsageError(`LOWBIT_LIBERTY must name a liberty file, but ${JSON.stringify(given)} does not exist`);
    if (!statSync(given).isFile()) throw new UsageError(`LOWBIT_LIBERTY must name a liberty file, but ${JSON.stringify(given)} is not a file`);
  }
  const path = given ?? OSU018_LIBERTY;
  if (!existsSync(path)) throw new ToolMissingError(`the OSU 0.18 um liberty (${path})`, LIBERTY_INSTALL);
  return { path, name: process.env.LOWBIT_LIBERTY ? path : 'OSU 0.18 um (qflow-tech-osu018, osu018_stdcells.lib)' };
}

/** Cell name -> area, from a liberty file's `cell (NAME) { ... area : X;` groups. */
export function libertyAreas(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of text.matchAll(/cell\s*\(\s*"?([\w$]+)"?\s*\)\s*\{[^{}]*?\barea\s*:\s*([\d.eE+-]+)/g)) m.set(x[1], Number(x[2]));
  return m;
}

/** Every pin name of every cell (`pin(A)`), so a cell's pins can be told from its model's inner nets. */
export function libertyPinNames(text: string): Set<string> {
  return new Set([...text.matchAll(/\bpin\s*\(\s*"?(\w+)"?\s*\)/g)].map((x) => x[1]));
}

/** The smallest inverter (`function : "(!A)"`) in a liberty: what ABC assumes drives a module's inputs. */
export function libertyInverter(text: string): string {
  let best: { name: string; area: number } | undefined;
  for (const group of text.split(/\bcell\s*\(/).slice(1)) {
    const name = /^\s*"?([\w$]+)"?\s*\)/.exec(group)?.[1];
    const area = Number(/\barea\s*:\s*([\d.eE+-]+)/.exec(group)?.[1] ?? NaN);
    if (name && /\bfunction\s*:\s*"\s*\(?\s*!\s*\(?\s*(\w+)\s*\)?\s*\)?\s*"/.test(group) && !Number.isNaN(area) && (!best || area < best.area)) best = { name, area };
  }
  if (!best) throw new Error('the liberty has no inverter (a cell with function "!A"), which ABC needs as the driving cell');
  return best.name;
}
