// Words in generated tool scripts. Every path that goes into a Yosys script or an OpenSTA (Tcl)
// script goes through here, quoted for that language; a name the language cannot quote is bad input
// (exit 2) naming it, never a script that does something else.

import { UsageError } from '../generators/common/params.js';

/**
 * A Yosys script word: in double quotes. Yosys's tokenizer takes `"..."` as one word up to a quote
 * followed by a blank (or `;`) and then drops the quotes: blanks, `;`, `#` and `$` inside are
 * literal, but there is no escape, so a name with a double quote cannot be written, nor one with a
 * line end (scripts are read line by line). A leading `-` would be read as an option: prefixed `./`.
 * (read_verilog also globs `*?[`: stage.ts gives such sources plain names.)
 */
export function yosysWord(name: string): string {
  if (/["\n\r\0]/.test(name)) throw new UsageError(`file name ${JSON.stringify(name)} cannot be written in a Yosys script (it holds a double quote or a line end): rename it`);
  return `"${name.startsWith('-') ? `./${name}` : name}"`;
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
