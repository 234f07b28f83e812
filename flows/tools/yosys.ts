// Yosys: synthesis scripts as data, a run, and the `stat -json` report parsed into a typed object.
//
// The bundled WebAssembly Yosys (@yowasp/yosys) is the default; LOWBIT_YOSYS=system uses `yosys`
// from PATH and a path another one, whose version is checked (YOSYS below).
//
// Scaling: designs are synthesized hierarchically (no flattening). Every row is the same module and
// so is every multiplier, so Yosys and ABC map each once, whatever rows and k are; `stat -top`
// multiplies the counts back up. Flattening a 16x64 int8 design made ABC run for over ten minutes.

import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkVersion, defineTool, hourUnlessLimited, parseToolOutput, resolveTool, runTool, ToolFailedError } from '../../core/tool.js';
import { writeFileAtomic } from '../../core/fsutil.js';
import { repoPath } from '../../core/paths.js';
import { liberty, libertyAreas, libertyInverter } from './liberty.js';
import { yosysPlain, yosysWord as q } from '../../core/quote.js';
import { stageSources, YOSYS_UNSAFE } from '../../core/stage.js';

export const TARGETS = ['generic', 'ice40', 'ecp5', 'xilinx', 'asic'] as const;
export type Target = (typeof TARGETS)[number];

/**
 * Yosys's facts. The bundled WebAssembly build (@yowasp/yosys) is the default; LOWBIT_YOSYS=system
 * uses `yosys` from PATH, a path another one. 0.23 (Debian bookworm's) is the oldest lowbit is
 * tested with (its stat JSON is the oldest format parseStat reads).
 */
export const YOSYS = defineTool({
  id: 'yosys',
  name: 'yosys',
  executable: 'yosys',
  envVar: 'LOWBIT_YOSYS',
  version: { args: ['--version'], pattern: /Yosys (\d+\.\d+)/, minimum: '0.23' },
  install: 'apt-get install -y yosys',
  log: { warning: /^Warning: /, error: /^ERROR: / },
  bundled: { package: '@yowasp/yosys', launcher: [repoPath('flows', 'tools', 'yowasp.mjs'), 'yosys'], install: 'npm ci (in the lowbit checkout)' },
});

/** "Yosys 0.55 (git sha1 ...)" -> [0, 55]. */
export function parseYosysVersion(text: string): [number, number] | undefined {
  const m = /Yosys (\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The Yosys's version output, gated (>= YOSYS.version.minimum, exit 4 below), asked once per process. */
export async function yosysVersion(): Promise<string> {
  return (await checkVersion(resolveTool(YOSYS))).text;
}

/** File names the scripts use inside the RTL directory. */
export const LEVELS_FILE = '.synth-generic.levels.txt';
export const LIB_FILE = 'cells.lib';
export const netlistFile = (target: Target) => `netlist-${target}.v`;
export const ICE40_JSON = 'netlist-ice40.json';
/** The simulation model of the asic netlist (cells' liberty functions flattened in). */
export const SIM_NETLIST = 'netlist-asic-sim.v';
/** The netlist `cosim --netlist` simulates, by kind. */
export const simNetlist = (kind: 'generic' | 'asic') => (kind === 'asic' ? SIM_NETLIST : netlistFile('generic'));

/** ABC's constraints for asic mapping: what drives a module's inputs, what its outputs drive. */
export const ABC_CONSTR = 'abc.constr';
/** Load on each module output, in fF (about one small gate input in OSU 0.18 um). */
export const ABC_LOAD_FF = 10;
export const abcConstraints = (drivingCell: string): string => `set_driving_cell ${drivingCell}\nset_load ${ABC_LOAD_FF}\n`;

/** The clock asic synthesis maps for when none is given (also `--clock-ns`'s default). */
export const DEFAULT_CLOCK_NS = 10;

/** `read_verilog` of sources (paths relative to Yosys's working directory), include directories first. */
export const readVerilog = (files: string[], incdirs: string[] = []): string =>
  ['read_verilog', ...incdirs.map((d) => `-I${yosysPlain(d)}`), ...files.map(q)].join(' ');

/**
 * The synthesis script for a target, as lines (golden-file tested). `files` and `incdirs`: relative
 * to Yosys's working directory; `clockNs`: asic's delay target. Every file name is quoted.
 */
export function synthScript(files: string[], top: string, target: Target, statFile: string, clockNs = DEFAULT_CLOCK_NS, incdirs: string[] = []): string[] {
  const read = readVerilog(files, incdirs);
  const stat = `tee -q -o ${yosysPlain(statFile)} stat -json -top ${top}`;
  switch (target) {
    case 'ice40':
      // The JSON netlist is what nextpnr places and routes (--pnr).
      return [read, `hierarchy -check -top ${top}`, `synth_ice40 -top ${top} -noflatten`, stat, `write_json ${q(ICE40_JSON)}`];
    case 'ecp5':
      return [read, `hierarchy -check -top ${top}`, `synth_ecp5 -top ${top} -noflatten`, stat];
    case 'xilinx':
      return [read, `hierarchy -check -top ${top}`, `synth_xilinx -top ${top} -family xc7`, stat];
    case 'asic':
      // Standard cells: flip-flops to the library's D flip-flop (enables and resets become gates),
      // logic through ABC with the liberty's cells, timing-driven at the clock: with a delay target and
      // constraints ABC also buffers high-fanout nets and sizes gates. (Without, one unbuffered gate
      // driving a shell's 400 accumulator bits took 119 ns and hid the datapath from OpenSTA.)
      // The netlist is what OpenSTA times.
      return [
        read,
        `hierarchy -check -top ${top}`,
        `synth -top ${top} -noabc`,
        'dfflegalize -cell $_DFF_P_ 01',
        `dfflibmap -liberty ${q(LIB_FILE)}`,
        `abc -liberty ${q(LIB_FILE)} -constr ${q(ABC_CONSTR)} -D ${Math.round(clockNs * 1000)}`,
        'opt_clean',
        `tee -q -o ${yosysPlain(statFile)} stat -json -liberty ${q(LIB_FILE)} -top ${top}`,
        // Library cells (not instances of the design's own modules) get short names, per module.
        'rename -enumerate -pattern cell_% t:* * %C %d',
        'design -save mapped',
        // For OpenSTA: one module of cell instances (flattened after mapping, which is cheap); a cell is
        // named by its instance path, `g_row[0].u_row.u_mul3.cell_17`, and its pin is `<that>/A`.
        // OpenSTA's Verilog reader cannot parse `assign {a, b} = ...`: -simple-lhs writes one assign
        // per wire instead.
        'flatten',
        `write_verilog -noattr -noexpr -simple-lhs ${q(netlistFile('asic'))}`,
        // For simulation: the hierarchy kept (each module once, so a simulator compiles one multiplier,
        // not thousands) and the liberty's cell functions as modules (read_liberty without -lib). A
        // cell's pin is the signal `<instance path>.A`: joined with dots, the same name as STA's.
        'design -load mapped',
        `read_liberty ${q(LIB_FILE)}`,
        `write_verilog -noattr ${q(SIM_NETLIST)}`,
      ];
    case 'generic':
      break;
  }
  // generic: coarse synthesis, flip-flops legalized to plain D flip-flops (their enables become
  // gates), then ABC maps to the CMOS gate set that `stat -tech cmos` prices in transistors.
  return [
    read,
    `hierarchy -check -top ${top}`,
    `synth -top ${top} -noabc`,
    'dfflegalize -cell $_DFF_P_ 01',
    'abc -g cmos',
    'opt_clean',
    `tee -q -o ${yosysPlain(statFile)} stat -json -tech cmos -top ${top}`,
    `write_verilog -noattr ${q(netlistFile('generic'))}`,
    // Logic depth: gates on the longest path between flip-flops and ports, counted over the whole
    // design (flattened after mapping, which is cheap; the netlist above keeps the hierarchy).
    'flatten',
    `tee -q -o ${yosysPlain(LEVELS_FILE)} ltp -noff`,
  ];
}

export interface SynthReport {
  target: Target;
  top: string;
  tool: string;
  /** Cells of the whole design (hierarchy multiplied out), by type. */
  cells: Record<string, number>;
  totalCells: number;
  /** generic: CMOS transistor estimate from `stat -tech cmos`. */
  transistors?: number;
  /** generic: gates on the longest combinational path (Yosys `ltp -noff` on the flattened netlist). */
  levels?: number;
  /** ice40 */
  lut4?: number;
  carry?: number;
  dff?: number;
  /** FPGA targets: resource counts by kind (synthesis estimates, no place and route). */
  resources?: Record<string, number>;
  /** asic: standard-cell area in um^2 and the library it comes from. */
  area?: number;
  library?: string;
  /** asic: the clock period (ns) ABC mapped for. */
  clockNs?: number;
  macs: number;
  perMac: Record<string, number>;
  seconds: number;
  script: string[];
}

interface StatJson {
  design?: { num_cells_by_type?: Record<string, number>; num_cells?: number; estimated_num_transistors?: string; area?: number };
}

/** How FPGA reports count resources, by target: resource -> cell types. */
const FPGA_RESOURCES: Record<'ice40' | 'ecp5' | 'xilinx', Record<string, (cell: string) => boolean>> = {
  ice40: { lut4: (c) => c === 'SB_LUT4', carry: (c) => c === 'SB_CARRY', dff: (c) => c.startsWith('SB_DFF'), dsp: (c) => c === 'SB_MAC16', bram: (c) => c.startsWith('SB_RAM') },
  ecp5: { lut4: (c) => c === 'LUT4', ccu2c: (c) => c === 'CCU2C', mult18: (c) => c === 'MULT18X18D', ff: (c) => c === 'TRELLIS_FF', bram: (c) => c === 'DP16KD' },
  xilinx: { lut: (c) => /^LUT[1-6]$/.test(c), carry4: (c) => c === 'CARRY4', dsp48: (c) => c === 'DSP48E1', ff: (c) => /^FD[A-Z]*$/.test(c), muxf: (c) => /^MUXF[78]$/.test(c), bram: (c) => c.startsWith('RAMB') },
};

/** Parses Yosys `stat -json` output into the report's counts. */
export function parseStat(json: string, target: Target, macs: number, cellAreas?: Map<string, number>): Pick<SynthReport, 'cells' | 'totalCells' | 'transistors' | 'lut4' | 'carry' | 'dff' | 'perMac' | 'area' | 'resources'> {
  // Yosys 0.23 prints submodule counts as bare "name  count" lines inside its stat JSON: drop them.
  const st = JSON.parse(json.replace(/^[ \t]*[^\s"{}[\],:]+[ \t]+\d+[ \t]*$/gm, '')) as StatJson;
  const d = st.design;
  if (!d?.num_cells_by_type) throw new Error('Yosys stat report has no design section');
  const cells = { ...d.num_cells_by_type };
  const out: ReturnType<typeof parseStat> = { cells, totalCells: d.num_cells ?? Object.values(cells).reduce((a, b) => a + b, 0), perMac: {} };
  if (target === 'generic') {
    const t = d.estimated_num_transistors ?? '';
    if (!/^\d+$/.test(t)) throw new Error(`Yosys could not price every cell in transistors (estimate: ${JSON.stringify(t)})`);
    out.transistors = Number(t);
    out.perMac.transistors = out.transistors / macs;
  } else if (target === 'asic') {
    // Newer Yosys reports the area; older (0.23) does not, so it is summed from the liberty's cell areas.
    let area = d.area;
    if (typeof area !== 'number' && cellAreas) {
      area = 0;
      for (const [cell, n] of Object.entries(cells)) {
        const a = cellAreas.get(cell);
        if (a === undefined) throw new Error(`cell ${cell} has no area in the liberty`);
        area += a * n;
      }
    }
    if (typeof area !== 'number') throw new Error('Yosys stat report has no area (was the liberty read?)');
    out.area = area;
    out.perMac.um2 = area / macs;
  } else {
    const resources: Record<string, number> = {};
    for (const [name, is] of Object.entries(FPGA_RESOURCES[target])) {
      resources[name] = Object.entries(cells).filter(([c]) => is(c)).reduce((a, [, v]) => a + v, 0);
      out.perMac[name] = resources[name] / macs;
    }
    out.resources = resources;
    if (target === 'ice40') {
      out.lut4 = resources.lut4;
      out.carry = resources.carry;
      out.dff = resources.dff;
    }
  }
  out.perMac.cells = out.totalCells / macs;
  return out;
}

/** `ltp`'s "Longest topological path in top (length=N)" -> N (undefined when it found none). */
export function parseLevels(text: string): number | undefined {
  const m = /Longest topological path in \S+ \(length=(\d+)\)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

function readLevels(file: string): number | undefined {
  try {
    return parseLevels(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  } finally {
    rmSync(file, { force: true });
  }
}

export interface SynthOptions {
  clockNs?: number;
  /** Where Yosys runs and every output goes (script, netlists, cells.lib, report); default: the first file's directory. */
  workDir?: string;
  /** Include directories of the sources (files.f), absolute. */
  incdirs?: string[];
}

/**
 * Synthesizes `files` for a target in the work directory: the sources (and what they include) are
 * copied there first, so the run reads exactly those bytes and the sources of a --rtl directory are
 * never written next to; the WebAssembly Yosys then gets only the copies, the script and the liberty
 * (core/runDir.ts), not the rest of the work directory. The report is also saved as `synth-<target>.json`.
 */
export async function synth(files: string[], top: string, target: Target, macs: number, logDir: string, opts: SynthOptions = {}): Promise<SynthReport> {
  const version = await yosysVersion();
  const dir = opts.workDir ?? dirname(files[0]);
  const staged = stageSources(files, dir, { incdirs: opts.incdirs, rename: YOSYS_UNSAFE });
  const statFile = `.synth-${target}.stat.json`;
  const clockNs = opts.clockNs ?? DEFAULT_CLOCK_NS;
  const script = synthScript(files.map((f) => staged.names.get(f)!), top, target, statFile, clockNs, staged.incdirs);
  // The liberty travels with the RTL: Yosys reads a copy beside the script.
  const lib = target === 'asic' ? liberty() : undefined;
  const libText = lib ? readFileSync(lib.path, 'utf8') : '';
  if (lib) {
    writeFileAtomic(join(dir, LIB_FILE), libText);
    writeFileAtomic(join(dir, ABC_CONSTR), abcConstraints(libertyInverter(libText)));
  }
  const scriptFile = `synth-${target}.ys`;
  writeFileAtomic(join(dir, scriptFile), script.join('\n') + '\n');
  const r = await runTool({
    tool: YOSYS,
    args: ['-q', '-s', scriptFile],
    cwd: dir,
    // What this run reads (the WebAssembly build sees nothing else of `dir`).
    files: [...staged.files, scriptFile, ...(lib ? [LIB_FILE, ABC_CONSTR] : [])],
    logPath: join(logDir, `yosys-${target}.log`),
    what: `synth ${target}`,
    timeoutMs: hourUnlessLimited(),
  });
  let statText: string;
  try {
    statText = readFileSync(join(dir, statFile), 'utf8');
  } catch {
    throw new ToolFailedError('yosys', 0, 'no stat report was written', r.logPath, `synth ${target}`);
  }
  rmSync(join(dir, statFile), { force: true });
  const stat = parseToolOutput('yosys', r.logPath, `synth ${target}, stat report`, () => parseStat(statText, target, macs, lib ? libertyAreas(libText) : undefined));
  const levels = target === 'generic' ? readLevels(join(dir, LEVELS_FILE)) : undefined;
  const report: SynthReport = { target, top, tool: version, macs, seconds: r.seconds, script, ...stat, ...(levels !== undefined ? { levels } : {}), ...(lib ? { library: lib.name, clockNs } : {}) };
  writeFileAtomic(join(dir, `synth-${target}.json`), JSON.stringify(report, null, 2) + '\n');
  return report;
}
