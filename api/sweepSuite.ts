// The `sweeps:` section of a suite file: each entry is one `lowbit sweep` (families, grid, fixed
// params, targets, what to measure), validated like the rest of the file (the JSON Schema, then the
// families' parameters), every defect reported with file:line:col and its path (`sweeps[0].grid.k[2]`).

import { UsageError } from '../core/errors.js';
import { getFamily } from '../generators/registry.js';
import { readSuiteDocument, suiteSeed } from './regressSuite.js';
import { expandGrid, GridError, type Grid } from './sweepGrid.js';
import type { SweepTarget } from './sweepTargets.js';

/** One sweep, as a suite file or the command line gives it (every default filled). */
export interface SweepDefinition {
  name: string;
  families: string[];
  grid: Grid;
  params: Record<string, unknown>;
  targets: SweepTarget[];
  synthesize: 'all' | 'pareto';
  /** Percent from the estimated front that `pareto` still measures. */
  near: number;
  pnr: boolean;
  device: string;
  power: boolean;
  vectors: number;
  /** auto, verilator or iverilog. */
  sim: string;
  seed: number;
  /** The suite file (absent: the command line). */
  file?: string;
  fileSha256?: string;
}

/** What a sweep takes when neither its file nor the command line says. */
export const sweepDefaults = (): Omit<SweepDefinition, 'name' | 'families' | 'grid' | 'params' | 'file' | 'fileSha256'> => ({
  targets: ['ice40', 'generic'],
  synthesize: 'all',
  near: 10,
  pnr: false,
  device: 'hx8k',
  power: false,
  vectors: 100,
  sim: 'auto',
  seed: 1,
});

interface RawSweep {
  name?: string;
  families: string[];
  params?: Record<string, unknown>;
  grid: Grid;
  targets?: SweepTarget[];
  synthesize?: 'all' | 'pareto';
  near?: number;
  pnr?: boolean;
  device?: string;
  power?: boolean;
  cosim?: { vectors?: number; sim?: string };
}

/** Every sweep of a suite file, checked (UsageError with file:line:col and path on any defect). */
export function loadSweeps(path: string): SweepDefinition[] {
  const doc = readSuiteDocument(path);
  const { loc, data } = doc;
  const raw = data.sweeps as RawSweep[] | undefined;
  if (!raw) loc.fail([], `no sweeps: section (this suite's designs run with lowbit regress ${doc.file})`);
  const seed = suiteSeed(doc);
  const names = new Set<string>();
  return raw!.map((r, i) => {
    const at = ['sweeps', i];
    r.families.forEach((f, j) => {
      try {
        getFamily(f);
      } catch (e) {
        if (e instanceof UsageError) loc.fail([...at, 'families', j], e.message);
        throw e;
      }
    });
    try {
      expandGrid(r.families.map((f) => getFamily(f)), r.grid, r.params ?? {});
    } catch (e) {
      if (e instanceof GridError) {
        const values = (e.fixed ? r.params : r.grid)?.[e.key];
        const index = e.value !== undefined && Array.isArray(values) ? values.findIndex((v) => String(v) === String(e.value)) : -1;
        loc.fail([...at, e.fixed ? 'params' : 'grid', ...(index >= 0 ? [e.key, index] : [])], e.message, index >= 0 ? undefined : e.key);
      }
      if (e instanceof UsageError) loc.fail(at, e.message);
      throw e;
    }
    const name = r.name ?? `sweep${i + 1}`;
    if (names.has(name)) loc.fail([...at, 'name'], `sweep name ${JSON.stringify(name)} is taken by an earlier sweep; names must be unique`);
    names.add(name);
    const d = sweepDefaults();
    return {
      name,
      families: r.families,
      grid: r.grid,
      params: r.params ?? {},
      targets: r.targets ?? d.targets,
      synthesize: r.synthesize ?? d.synthesize,
      near: r.near ?? d.near,
      pnr: r.pnr ?? d.pnr,
      device: r.device ?? d.device,
      power: r.power ?? d.power,
      vectors: r.cosim?.vectors ?? d.vectors,
      sim: r.cosim?.sim ?? d.sim,
      seed,
      file: doc.file,
      fileSha256: doc.sha256,
    };
  });
}

/** The sweep `name` of a suite file (the only one when it has one). */
export function loadSweep(path: string, name?: string): SweepDefinition {
  const all = loadSweeps(path);
  if (name === undefined) {
    if (all.length === 1) return all[0];
    throw new UsageError(`${all[0].file} has ${all.length} sweeps: pick one with --name (${all.map((s) => s.name).join(', ')})`);
  }
  const s = all.find((x) => x.name === name);
  if (!s) throw new UsageError(`name must be one of the sweeps of ${all[0].file} (${all.map((x) => x.name).join(', ')}), not ${JSON.stringify(name)}`);
  return s;
}
