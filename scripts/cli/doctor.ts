import { Command } from 'commander';
import chalk from 'chalk';
import { execa } from 'execa';
import { Out, guarded } from './common.js';
import { TOOLS } from '../../flows/tool.js';
import { yosysCommand, yosysVersion } from '../../flows/yosys.js';
import { liberty, LIBERTY_INSTALL } from '../../flows/liberty.js';
import { repoPath } from '../../generators/common/paths.js';

export interface ToolStatus {
  tool: string;
  ok: boolean;
  version?: string;
  path?: string;
  install?: string;
  note?: string;
}

async function probe(tool: string, command: string, args: string[]): Promise<ToolStatus> {
  const r = await execa(command, args, { reject: false, all: true, stdin: 'ignore' });
  if ((r as { code?: string }).code === 'ENOENT' || r.exitCode === undefined) return { tool, ok: false, install: TOOLS[tool]?.install };
  const w = await execa('sh', ['-c', 'command -v "$1"', 'sh', command], { reject: false });
  return { tool, ok: true, version: String(r.all ?? '').trim().split('\n')[0], path: String(w.stdout).trim() };
}

export async function doctor(): Promise<ToolStatus[]> {
  const list = await Promise.all([
    probe('verilator', 'verilator', ['--version']),
    probe('iverilog', 'iverilog', ['-V']),
    probe('g++', 'g++', ['--version']),
    probe('make', 'make', ['--version']),
    probe('sta', 'sta', ['-version']),
    probe('yowasp-nextpnr-ice40', process.execPath, [repoPath('flows', 'yowasp.mjs'), 'nextpnr-ice40', '--version']),
  ]);
  try {
    const lib = liberty();
    list.push({ tool: 'liberty', ok: true, version: lib.name, path: lib.path });
  } catch (e) {
    list.push({ tool: 'liberty', ok: false, install: LIBERTY_INSTALL, note: (e as Error).message });
  }
  const y = yosysCommand();
  try {
    const v = await yosysVersion();
    list.push({ tool: 'yosys', ok: true, version: v, path: y.kind === 'system' ? 'yosys (LOWBIT_YOSYS=system)' : y.args[0], note: y.kind === 'yowasp' ? 'bundled WebAssembly build; LOWBIT_YOSYS=system uses yosys from PATH' : undefined });
  } catch (e) {
    list.push({ tool: 'yosys', ok: false, install: (e as Error).message });
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
          else out.say(`${chalk.red('missing')} ${t.tool.padEnd(10)} install: ${t.install}`);
        }
        const missing = list.filter((t) => !t.ok);
        if (missing.length) out.say(`\n${missing.length} missing: run bash scripts/setup.sh (as root), or the commands above.`);
        out.result({ ok: missing.length === 0, node: process.version, tools: list });
        return missing.length ? 4 : 0;
      }),
    );
}
