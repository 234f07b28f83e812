// Words in generated tool scripts. Every path that goes into a Yosys script or an OpenSTA (Tcl)
// script goes through here, quoted for that language; a name the language cannot quote is bad input
// (exit 2) naming it, never a script that does something else.

import { UsageError } from './errors.js';

/**
 * A Yosys file name: in double quotes. Yosys's tokenizer takes `"..."` as one word up to a quote
 * followed by a blank (or `;`): blanks, `;`, `#` and `$` inside are literal, but there is no escape,
 * so a name with a double quote cannot be written, nor one with a line end (scripts are read line by
 * line). A leading `-` would be read as an option: prefixed `./`. The quotes are taken off only by
 * commands that read or write files by name (read_verilog's and write_*'s file arguments,
 * read_liberty, -liberty, -constr, sat -dump_vcd): tested with Yosys 0.23 and 0.55. Options that
 * keep them (tee -o, mutate -o, read_verilog -I) get yosysPlain names. (read_verilog also globs
 * `*?[`: stage.ts gives such sources plain names.)
 */
export function yosysWord(name: string): string {
  if (/["\n\r\0]/.test(name)) throw new UsageError(`file name ${JSON.stringify(name)} cannot be written in a Yosys script (it holds a double quote or a line end): rename it`);
  return `"${name.startsWith('-') ? `./${name}` : name}"`;
}

/**
 * A name for a Yosys option that takes its value verbatim, quotes included (tee -o, mutate -o,
 * read_verilog -I): only names lowbit makes itself, checked to need no quoting.
 */
export function yosysPlain(name: string): string {
  if (!/^[A-Za-z0-9_.+/-]+$/.test(name) || name.startsWith('-')) throw new Error(`internal: ${JSON.stringify(name)} is not a plain name for a Yosys option`);
  return name;
}

/**
 * A Tcl word: in braces, where nothing is substituted ($, [ ], ;, ", blanks are literal). Braces
 * cannot hold an unbalanced brace, and a backslash inside still escapes a brace or a line end, so
 * names with braces, backslashes or line ends are refused.
 */
export function tclWord(name: string): string {
  if (/[{}\\\n\r\0]/.test(name)) throw new UsageError(`file name ${JSON.stringify(name)} cannot be written in an OpenSTA (Tcl) script (it holds a brace, a backslash or a line end): rename it`);
  return `{${name}}`;
}
