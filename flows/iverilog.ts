// Icarus Verilog: the second simulator. For now it proves every generated design compiles there.

import { runTool, type RunResult } from './tool.js';

export const compileArgs = (files: string[], top: string, out: string): string[] => ['-g2005', '-Wall', '-s', top, '-o', out, ...files];

export async function compile(files: string[], top: string, out: string, logPath: string): Promise<RunResult> {
  return runTool({ tool: 'iverilog', command: 'iverilog', args: compileArgs(files, top, out), logPath, what: 'compile' });
}
