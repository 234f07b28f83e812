// Names lowbit writes into Verilog: module names (--top and the sub-modules prefixed with it) must be
// identifiers that every tool parses, so keywords of Verilog-2005 and SystemVerilog are refused.

import { UsageError } from './params.js';

/** IEEE 1364-2005 and IEEE 1800-2017 reserved words (a design read as SystemVerilog must parse too). */
export const VERILOG_KEYWORDS: ReadonlySet<string> = new Set(
  `accept_on alias always always_comb always_ff always_latch and assert assign assume automatic before begin bind bins binsof bit
  break buf bufif0 bufif1 byte case casex casez cell chandle checker class clocking cmos config const constraint context continue
  cover covergroup coverpoint cross deassign default defparam design disable dist do edge else end endcase endchecker endclass
  endclocking endconfig endfunction endgenerate endgroup endinterface endmodule endpackage endprimitive endprogram endproperty
  endspecify endsequence endtable endtask enum event eventually expect export extends extern final first_match for force foreach
  forever fork forkjoin function generate genvar global highz0 highz1 if iff ifnone ignore_bins illegal_bins implements implies
  import incdir include initial inout input inside instance int integer interconnect interface intersect join join_any join_none
  large let liblist library local localparam logic longint macromodule matches medium modport module nand negedge nettype new
  nexttime nmos nor noshowcancelled not notif0 notif1 null or output package packed parameter pmos posedge primitive priority
  program property protected pull0 pull1 pulldown pullup pulsestyle_ondetect pulsestyle_onevent pure rand randc randcase
  randsequence rcmos real realtime ref reg reject_on release repeat restrict return rnmos rpmos rtran rtranif0 rtranif1 s_always
  s_eventually s_nexttime s_until s_until_with scalared sequence shortint shortreal showcancelled signed small soft solve specify
  specparam static string strong strong0 strong1 struct super supply0 supply1 sync_accept_on sync_reject_on table tagged task
  this throughout time timeprecision timeunit tran tranif0 tranif1 tri tri0 tri1 triand trior trireg type typedef union unique
  unique0 unsigned until until_with untyped use uwire var vectored virtual void wait wait_order wand weak weak0 weak1 while
  wildcard wire with within wor xnor xor`.split(/\s+/),
);

/** Longest top-module name: sub-module files are `<top>_<part>.v` and atomic writes add a temp suffix, within 255 bytes. */
export const MAX_TOP_LENGTH = 128;

/** Refuses a module name no tool would parse (exit 2), naming the option and what it must be. */
export function checkModuleName(option: string, name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`${option} must be a Verilog identifier (a letter or _, then letters, digits, _), not ${JSON.stringify(name)}`);
  if (name.length > MAX_TOP_LENGTH) throw new UsageError(`${option} must be at most ${MAX_TOP_LENGTH} characters long, not ${name.length}`);
  if (VERILOG_KEYWORDS.has(name)) throw new UsageError(`${option} must not be a Verilog or SystemVerilog keyword, not ${JSON.stringify(name)}`);
  return name;
}
