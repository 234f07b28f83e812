import { Command } from 'commander';
import chalk from 'chalk';
import { Out, guarded } from './common.js';
import { TOOLS, ToolMissingError } from '../core/tool.js';
import { probeExecutable } from '../api/tools.js';
import { yosysCommand, yosysVersion } from '../flows/tools/yosys.js';
import { liberty, LIBERTY_INSTALL } from '../flows/tools/liberty.js';
import { repoPath } from '../core/paths.js';

export interface ToolStatus {
  tool: string;
  ok: boolean;
  /** ok; missing (not on PATH: install it); failing (found, but it fails, even on --version: its output in `note`). */
  status: 'ok' | 'missing' | 'failing';
  version?: string;
  path?: string;
  install?: string;
  note?: string;
}

/** A failed probe as a status: not found is missing, anything else is failing (with what it said). */
function failed(tool: string, e: unknown, install = TOOLS[tool]?.install): ToolStatus {
  if (e instanceof ToolMissingError) return { tool, ok: false, status: 'missing', install: e.install };
  return { tool, ok: false, status: 'failing', install, note: (e as Error).message };
}

async function probe(tool: string, command: string, args: string[]): Promise<ToolStatus> {
  try {
    const u = await probeExecutable(tool, command, args);
    return { tool, ok: true, status: 'ok', version: u.version, path: u.path };
  } catch (e) {
    return failed(tool, e);
  }
}

export async function doctor(): Promise<ToolStatus[]> {
  const list = await Promise.all([
    probe('verilator', 'verilator', ['--version']),
    probe('iverilog', 'iverilog', ['-V']),
    probe('g++', 'g++', ['--version']),
    probe('make', 'make', ['--version']),
    probe('sta', 'sta', ['-version']),
    probe('yowasp-nextpnr-ice40', process.execPath, [repoPath('flows', 'tools', 'yowasp.mjs'), 'nextpnr-ice40', '--version']),
  ]);
  try {
    const lib = liberty();
    list.push({ tool: 'liberty', ok: true, status: 'ok', version: lib.name, path: lib.path });
  } catch (e) {
    // A LOWBIT_LIBERTY naming no file is failing (fix the variable), the default library absent is missing.
    list.push(failed('liberty', e, LIBERTY_INSTALL));
  }
  const y = yosysCommand();
  try {
    const v = await yosysVersion();
    list.push({ tool: 'yosys', ok: true, status: 'ok', version: v, path: y.kind === 'system' ? 'yosys (LOWBIT_YOSYS=system)' : y.args[0], note: y.kind === 'yowasp' ? 'bundled WebAssembly build; LOWBIT_YOSYS=system uses yosys from PATH' : undefined });
  } catch (e) {
    list.push(e instanceof ToolMissingError ? { tool: 'yosys', ok: false, status: 'missing', install: e.message } : failed('yosys', e));
  }
  return list;
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('check every tool lowbit uses: version, path, and the command that installs what is missing')
    .option('--json', 'print one JSON object on stdout and nothing else there')
    .action((opts: Record<string, unknown>) =>
      guarded(!!opts.json, async () => {
        const out = new Out(!!opts.json);
        const list = await doctor();
        out.say(`node ${process.version} (${process.execPath})`);
        for (const t of list) {
          if (t.ok) out.say(`${chalk.green('ok')}      ${t.tool.padEnd(10)} ${t.version} (${t.path})${t.note ? `\n        ${t.note}` : ''}`);
          else if (t.status === 'missing') out.say(`${chalk.red('missing')} ${t.tool.padEnd(10)} install: ${t.install}`);
          else out.say(`${chalk.red('failing')} ${t.tool.padEnd(10)} found, but it fails:\n        ${(t.note ?? '').split('\n').join('\n        ')}`);
        }
        const missing = list.filter((t) => t.status === 'missing');
        const failing = list.filter((t) => t.status === 'failing');
        if (missing.length) out.say(`\n${missing.length} missing: run bash scripts/setup.sh (as root), or the commands above.`);
        if (failing.length) out.say(`\n${failing.length} failing: installed (or configured) but not working; see the output above.`);
        out.result({ ok: missing.length + failing.length === 0, node: process.version, tools: list });
        // A broken tool is a tool failure (1); only missing ones (4) are fixed by installing.
        return failing.length ? 1 : missing.length ? 4 : 0;
      }),
    );
}
