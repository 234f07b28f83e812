// The open standard-cell library lowbit's ASIC figures use: OSU 0.18 um from Debian's
// qflow-tech-osu018 (LOWBIT_LIBERTY overrides the path). Every ASIC figure names it.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ToolMissingError } from '../../core/tool.js';
import { UsageError } from '../../core/errors.js';

export const OSU018_LIBERTY = '/usr/share/qflow/tech/osu018/osu018_stdcells.lib';
export const LIBERTY_INSTALL = 'apt-get install -y qflow-tech-osu018';

export interface Liberty {
  path: string;
  /** What reports call it. */
  name: string;
}

/**
 * The liberty ASIC flows use. The default one missing is a missing tool (exit 4); a LOWBIT_LIBERTY
 * that names no usable liberty (nothing, a directory, an unreadable file, one without the inverter ABC
 * needs) is bad input (exit 2), found here before anything is written.
 */
export function liberty(): Liberty {
  const given = process.env.LOWBIT_LIBERTY;
  if (given === undefined || given === '') {
    if (!existsSync(OSU018_LIBERTY)) throw new ToolMissingError(`the OSU 0.18 um liberty (${OSU018_LIBERTY})`, LIBERTY_INSTALL);
    return { path: OSU018_LIBERTY, name: 'OSU 0.18 um (qflow-tech-osu018, osu018_stdcells.lib)' };
  }
  const path = resolve(given);
  const bad = (why: string) => new UsageError(`LOWBIT_LIBERTY must name a liberty file (.lib) with an inverter cell, but ${why} (given: ${JSON.stringify(given)}; unset it to use ${OSU018_LIBERTY})`);
  if (!existsSync(path)) throw bad(`${path} does not exist`);
  if (!statSync(path).isFile()) throw bad(`${path} is not a file`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw bad(`${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    libertyInverter(text);
  } catch (e) {
    throw bad(`${path}: ${(e as Error).message}`);
  }
  return { path, name: path };
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
