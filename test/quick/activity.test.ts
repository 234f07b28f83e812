// The VCD reader behind `lowbit power`: toggles and time high per bit, in the scope and below it.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureActivity } from '../../flows/activity.js';
import { libertyPinNames } from '../../flows/tools/liberty.js';
import { tmp } from '../helpers.js';

const VCD = `$timescale 1ps $end
$scope module tb $end
$var wire 1 ! clk $end
$scope module dut $end
$var wire 1 ! clk $end
$var wire 3 " bus [2:0] $end
$scope module g_row[0].u_row $end
$scope module \\cell_7 $end
$var wire 1 # A $end
$var wire 1 " Y_alias_of_bus $end
$upscope $end
$upscope $end
$upscope $end
$var wire 1 $ outside $end
$upscope $end
$enddefinitions $end
#0
0!
b000 "
0#
1$
#10
1!
b101 "
1#
0$
#20
0!
b1 "
#30
1!
0#
#40
0!
`;

describe('measureActivity (VCD toggles and duty)', () => {
  it('counts every bit below the scope by dotted path, shared ids once per name, and the clock in the scope', async () => {
    const f = join(tmp('vcd'), 'a.vcd');
    writeFileSync(f, VCD);
    const a = await measureActivity(f, 'dut');
    expect(a.cycles).toBe(2);
    expect(a.duration).toBe(40);
    // bus: 000 -> 101 at 10 -> 001 at 20 (a value shorter than the width is left-extended with 0).
    expect(a.bits.get('bus[0]')).toEqual({ toggles: 1, highTime: 30 });
    expect(a.bits.get('bus[1]')).toEqual({ toggles: 0, highTime: 0 });
    expect(a.bits.get('bus[2]')).toEqual({ toggles: 2, highTime: 10 });
    expect(a.bits.get('g_row[0].u_row.cell_7.A')).toEqual({ toggles: 2, highTime: 20 });
    // The same id as bus (3 bits) declared with width 1 in the cell: bit 0 of the value.
    expect(a.bits.get('g_row[0].u_row.cell_7.Y_alias_of_bus')).toEqual({ toggles: 1, highTime: 30 });
    expect(a.bits.has('outside')).toBe(false);
    expect([...a.bits.keys()].some((k) => k.startsWith('tb.'))).toBe(false);
  });

  it('liberty pin names tell a cell pin from its model inner nets', () => {
    const names = libertyPinNames('cell (XOR2X1) {\n area : 1;\n pin(A) { }\n pin ("B") { }\n pin(Y) { function : "(A^B)"; }\n}\ncell (DFFPOSX1) { ff (DS0000,P0002) { } pin(CLK) { } pin(D) { } pin(Q) { } }');
    expect([...names].sort()).toEqual(['A', 'B', 'CLK', 'D', 'Q', 'Y']);
  });
});
