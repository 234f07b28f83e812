// `lowbit doctor` checks each tool as a run would use it: resolved from its facts and its LOWBIT_*
// variable, version-gated against its minimum. Fake tools only (recording scripts).
import { afterEach, describe, expect, it } from 'vitest';
import { toolStatus } from '../../api/doctor.js';
import { VERILATOR } from '../../flows/tools/verilator.js';
import { STA } from '../../flows/tools/opensta.js';
import { VVP } from '../../flows/tools/iverilog.js';
import { YOSYS } from '../../flows/tools/yosys.js';
import { TOOL_FACTS } from '../../flows/tools/registry.js';
import { recordingTool, tmp } from '../helpers.js';

const VARS = TOOL_FACTS.map((f) => f.envVar);
const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
afterEach(() => {
  for (const v of VARS) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
});

describe('doctor honours the tools\' variables', () => {
  it('a too-old tool named by its variable: too-old, with the version found, the minimum, its path and how it was chosen', async () => {
    const fake = recordingTool('verilator', 'echo "Verilator 4.038 2020-07-11 rev v4.036-114-g0cd4a57ad"');
    process.env.LOWBIT_VERILATOR = fake.path;
    const s = await toolStatus(VERILATOR);
    expect(s).toMatchObject({ tool: 'verilator', ok: false, status: 'too-old', version: '4.038', minimum: '5.006', path: fake.path, variable: 'LOWBIT_VERILATOR', source: `LOWBIT_VERILATOR=${fake.path}` });
    expect(s.note).toContain('verilator 4.038 is too old: lowbit needs verilator >= 5.006');
    expect(s.install).toContain('point LOWBIT_VERILATOR at a working verilator');
    // The fake was asked its version: doctor ran the override, not `verilator` from PATH.
    expect(fake.calls().map((c) => c.argv)).toEqual([['--version']]);
  });

  it('a working override: ok, its version and path, the variable that chose it', async () => {
    const fake = recordingTool('sta', 'echo "2.6.0"');
    process.env.LOWBIT_STA = fake.path;
    const s = await toolStatus(STA);
    expect(s).toMatchObject({ tool: 'sta', ok: true, status: 'ok', version: '2.6.0', path: fake.path, minimum: '2.0.17', note: `LOWBIT_STA=${fake.path}` });
    expect(fake.calls()).toHaveLength(1);
  });

  it('LOWBIT_YOSYS=system with a yosys on PATH: that one, named so', async () => {
    const fake = recordingTool('yosys', 'echo "Yosys 0.60 (fake)"');
    const path = process.env.PATH;
    process.env.PATH = fake.PATH;
    process.env.LOWBIT_YOSYS = 'system';
    try {
      const s = await toolStatus(YOSYS);
      expect(s).toMatchObject({ tool: 'yosys', ok: true, status: 'ok', version: 'Yosys 0.60 (fake)', path: fake.path, source: 'yosys from PATH (LOWBIT_YOSYS=system)' });
    } finally {
      process.env.PATH = path;
    }
  });

  it('a variable naming no executable: failing, with the message a run gives', async () => {
    process.env.LOWBIT_STA = '/nonexistent/sta';
    const s = await toolStatus(STA);
    expect(s).toMatchObject({ tool: 'sta', ok: false, status: 'failing', variable: 'LOWBIT_STA' });
    expect(s.note).toBe('LOWBIT_STA must be the path of a sta executable, or unset (sta from PATH), but /nonexistent/sta does not exist (given: "/nonexistent/sta")');
    process.env.LOWBIT_VVP = tmp('vvpdir');
    expect((await toolStatus(VVP)).note).toMatch(/LOWBIT_VVP must be .* is a directory/);
  });
});
