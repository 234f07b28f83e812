// OpenSTA (Debian `opensta`): static timing and power of a standard-cell netlist. Scripts are data
// (golden-file tested); reports are parsed into typed objects.
//
// Constraints: one clock on `clk`; every other input arrives at the clock edge (input delay 0) and
// every output is captured at the next one. Without input delays this OpenSTA treats inputs as
// unclocked and reports near-zero switching power without a warning, so they are always set.
// (This OpenSTA's help spells set_power_activity's option `-activiity`; the command takes `-activity`.
// Its `-pins` branch is broken, so measured pin activity goes through sta::set_power_pin_activity.)

import { join } from 'node:path';
import { writeFileAtomic } from '../../core/fsutil.js';
import { defineTool, hourUnlessLimited, parseToolOutput, runTool, tailOf, ToolFailedError } from '../../core/tool.js';
import { tclWord as q } from '../../core/quote.js';

/**
 * OpenSTA's facts. 2.0.17 (Debian bookworm's) is the oldest lowbit is tested with: the power script
 * works around that version's broken `set_power_activity -pins`, and its reports are what
 * parseTiming and parsePower read. Its version output is the bare number.
 */
export const STA = defineTool({
  id: 'sta',
  name: 'sta (OpenSTA)',
  executable: 'sta',
  envVar: 'LOWBIT_STA',
  version: { args: ['-version'], pattern: /(\d+\.\d+\.\d+)/, minimum: '2.0.17' },
  install: 'apt-get install -y opensta',
  log: { warning: /^Warning: /, error: /^Error: / },
});

export interface StaDesign {
  /** Directory holding the liberty and the netlist (file names below are relative to it). */
  dir: string;
  liberty: string;
  netlist: string;
  top: string;
  clockNs: number;
}

/** Per-pin activity: transitions per clock cycle and the fraction of time high. */
export interface PinActivity {
  pin: string;
  activity: number;
  duty: number;
}

export interface PowerOptions {
  /** One activity for every pin (OpenSTA propagates it from the inputs), or measured activity per pin. */
  global?: { activity: number; duty: number };
  pins?: PinActivity[];
  /** Measured activity of input port bits (`pin` is the port name). */
  ports?: PinActivity[];
}

export function staScript(d: StaDesign, power?: PowerOptions, activityFile?: string): string[] {
  const lines = [
    // Paths in braces: nothing in them is substituted (quote.ts).
    `read_liberty ${q(d.liberty)}`,
    `read_verilog ${q(d.netlist)}`,
    `link_design ${d.top}`,
    `create_clock -name clk -period ${d.clockNs} [get_ports clk]`,
    'set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports clk]]',
    'set_output_delay 0 -clock clk [all_outputs]',
    'report_checks -path_delay max -digits 3',
    'report_worst_slack -digits 3',
  ];
  if (power?.global) lines.push(`set_power_activity -global -activity ${power.global.activity} -duty ${power.global.duty}`);
  if (activityFile) lines.push(`source ${q(activityFile)}`);
  if (power) lines.push('report_power -digits 9');
  return lines;
}

export interface TimingReport {
  clockNs: number;
  worstSlackNs: number;
  /** Clock period minus worst slack: the critical path including setup. */
  criticalPathNs: number;
  fmaxMHz: number;
  startpoint: string;
  endpoint: string;
  met: boolean;
}

export interface PowerReport {
  /** Watts, as OpenSTA prints them (liberty units). */
  internalW: number;
  switchingW: number;
  leakageW: number;
  totalW: number;
}

export function parseTiming(text: string, clockNs: number): TimingReport {
  const worst = /^worst slack (-?[\d.eE+-]+)/m.exec(text);
  if (!worst) throw new Error('OpenSTA printed no worst slack (no constrained path?)');
  const slack = Number(worst[1]);
  const start = /^Startpoint: (\S+)/m.exec(text)?.[1] ?? '?';
  const end = /^Endpoint: (\S+)/m.exec(text)?.[1] ?? '?';
  const critical = clockNs - slack;
  return { clockNs, worstSlackNs: slack, criticalPathNs: critical, fmaxMHz: 1000 / critical, startpoint: start, endpoint: end, met: slack >= 0 };
}

export function parsePower(text: string): PowerReport {
  const m = /^Total\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/m.exec(text);
  if (!m) throw new Error('OpenSTA printed no power report');
  const [internalW, switchingW, leakageW, totalW] = m.slice(1, 5).map(Number);
  return { internalW, switchingW, leakageW, totalW };
}

/** OpenSTA's arguments for a script: no banner, exit when the script ends. */
export const staArgs = (scriptFile: string): string[] => ['-no_splash', '-exit', scriptFile];

/** Runs OpenSTA; pins' activities go to a Tcl file next to the script (there can be thousands). */
export async function runSta(d: StaDesign, logPath: string, power?: PowerOptions): Promise<{ timing: TimingReport; power?: PowerReport; log: string }> {
  let activityFile: string | undefined;
  if (power?.pins?.length || power?.ports?.length) {
    activityFile = 'sta-activity.tcl';
    const lines = [
      ...(power.ports ?? []).map((p) => `set_power_activity -input_ports [get_ports {${p.pin}}] -activity ${p.activity} -duty ${p.duty}`),
      // This OpenSTA's `set_power_activity -pins` is broken (it calls an undefined get_pins_error and sets
      // input pins only); the command underneath it takes any pin.
      ...(power.pins ?? []).map((p) => `sta::set_power_pin_activity [get_pins {${p.pin}}] ${p.activity} ${p.duty}`),
    ];
    writeFileAtomic(join(d.dir, activityFile), lines.join('\n') + '\n');
  }
  const script = staScript(d, power, activityFile);
  const scriptFile = power ? 'sta-power.tcl' : 'sta-timing.tcl';
  writeFileAtomic(join(d.dir, scriptFile), script.join('\n') + '\n');
  const r = await runTool({ tool: STA, args: staArgs(scriptFile), cwd: d.dir, logPath, what: 'timing', timeoutMs: hourUnlessLimited() });
  // OpenSTA exits 0 after a script error: its log is the only place that says so.
  if (r.errors?.length) throw new ToolFailedError('sta (OpenSTA)', 0, tailOf(r.log), r.logPath, 'the script reported an error');
  return parseToolOutput('sta (OpenSTA)', r.logPath, power ? 'timing and power' : 'timing', () => ({ timing: parseTiming(r.log, d.clockNs), power: power ? parsePower(r.log) : undefined, log: r.log }));
}
