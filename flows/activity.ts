// Switching activity from a simulation's VCD: per signal bit, how often it toggles and how long it is
// high. This is all power analysis needs, so the VCD is read as a stream and no waveform is kept
// (a VCD of a gate-level run is large; VCD libraries on npm build the whole waveform in memory).

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface BitActivity {
  /** Transitions 0->1 and 1->0. */
  toggles: number;
  /** Time spent at 1, in VCD time units. */
  highTime: number;
}

export interface ActivityReport {
  /**
   * Signal bit -> activity. Names are relative to `scope`: `name` or `name[i]` there, and below it
   * the scope path joined with dots, `g_row[0].u_row.cell_17.A`.
   */
  bits: Map<string, BitActivity>;
  /** Rising edges of `clock`: the cycles simulated. */
  cycles: number;
  /** Time from the first to the last timestamp. */
  duration: number;
}

interface Var {
  names: string[];
  state: number[];
  since: number[];
  acts: BitActivity[];
}

/**
 * Reads a VCD and measures every bit of every signal in the first scope named `scope` (e.g. "dut")
 * and in every scope below it, plus the rising edges of `clock` in `scope` itself.
 */
export async function measureActivity(vcdPath: string, scope: string, clock = 'clk'): Promise<ActivityReport> {
  const byId = new Map<string, Var[]>();
  const bits = new Map<string, BitActivity>();
  const prefixes: (string | undefined)[] = [];
  let inHeader = true;
  let time = 0;
  let first = -1;
  let cycles = 0;
  let clockVar: Var | undefined;
  const rl = createInterface({ input: createReadStream(vcdPath), crlfDelay: Infinity });

  const apply = (v: Var, value: string): void => {
    // value: MSB first, possibly shorter than the width (left-extended with 0, or x/z).
    const n = v.names.length;
    for (let i = 0; i < n; i++) {
      const ch = value.length > i ? value[value.length - 1 - i] : value[0] === 'x' || value[0] === 'z' ? value[0] : '0';
      const s = ch === '1' ? 1 : ch === '0' ? 0 : -1;
      const old = v.state[i];
      if (old === s) continue;
      if (old === 1) v.acts[i].highTime += time - v.since[i];
      if ((old === 0 && s === 1) || (old === 1 && s === 0)) {
        v.acts[i].toggles++;
        if (v === clockVar && s === 1) cycles++;
      }
      v.state[i] = s;
      v.since[i] = time;
    }
  };

  for await (const raw of rl) {
    const line = raw.trim();
    if (!line) continue;
    if (inHeader) {
      if (line.startsWith('$scope')) {
        const name = line.split(/\s+/)[2].replace(/^\\/, '');
        const outer = prefixes[prefixes.length - 1];
        // Inside `scope`: the path below it; `scope` itself: ''; outside: undefined.
        prefixes.push(outer !== undefined ? `${outer}${name}.` : name === scope ? '' : undefined);
      } else if (line.startsWith('$upscope')) prefixes.pop();
      else if (line.startsWith('$var')) {
        // $var <type> <size> <id> <reference> [range] $end
        const parts = line.split(/\s+/);
        const size = Number(parts[2]);
        const id = parts[3];
        const ref = parts[4].replace(/^\\/, '');
        const range = parts[5] !== '$end' ? parts[5] : '';
        const prefix = prefixes[prefixes.length - 1];
        if (prefix === undefined) continue;
        const lo = range ? Number(/\[(\d+):(\d+)\]/.exec(range)?.[2] ?? 0) : 0;
        const names = size === 1 && !range ? [prefix + ref] : Array.from({ length: size }, (_, i) => `${prefix}${ref}[${lo + i}]`);
        const v: Var = { names, state: Array(size).fill(-1), since: Array(size).fill(0), acts: names.map(() => ({ toggles: 0, highTime: 0 })) };
        names.forEach((n, i) => bits.set(n, v.acts[i]));
        if (ref === clock && size === 1 && !prefix) clockVar = v;
        const list = byId.get(id);
        if (list) list.push(v);
        else byId.set(id, [v]);
      } else if (line.startsWith('$enddefinitions')) inHeader = false;
      continue;
    }
    const c = line[0];
    if (c === '#') {
      time = Number(line.slice(1));
      if (first < 0) first = time;
    } else if (c === '0' || c === '1' || c === 'x' || c === 'z' || c === 'X' || c === 'Z') {
      for (const v of byId.get(line.slice(1)) ?? []) apply(v, c.toLowerCase());
    } else if (c === 'b' || c === 'B') {
      const sp = line.indexOf(' ');
      for (const v of byId.get(line.slice(sp + 1)) ?? []) apply(v, line.slice(1, sp).toLowerCase());
    }
  }
  // Close the high intervals still open at the end.
  for (const list of byId.values()) {
    for (const v of list) v.state.forEach((s, i) => { if (s === 1) v.acts[i].highTime += time - v.since[i]; });
  }
  return { bits, cycles, duration: Math.max(0, time - Math.max(0, first)) };
}
