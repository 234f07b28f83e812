// files.f parsing (core/filelist.ts) and the quoting of names in generated scripts (core/quote.ts).
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEntry, parseFileList } from '../../core/filelist.js';
import { tclWord, yosysWord } from '../../core/quote.js';
import { stageSources } from '../../core/stage.js';
import { UsageError } from '../../generators/common/params.js';
import { tmp } from '../helpers.js';

describe('files.f entries', () => {
  it('skips blank and comment lines, keeps a whole line as one name', () => {
    for (const l of ['', '   ', '// a comment', '  # another', '//x.v']) expect(parseEntry(l)).toEqual([{ kind: 'skip' }]);
    expect(parseEntry('  row file;x $y.v  ')).toEqual([{ kind: 'file', path: 'row file;x $y.v' }]);
  });
  it('reads include directories in the three spellings', () => {
    expect(parseEntry('+incdir+inc')).toEqual([{ kind: 'incdir', path: 'inc' }]);
    expect(parseEntry('+incdir+a+b')).toEqual([{ kind: 'incdir', path: 'a' }, { kind: 'incdir', path: 'b' }]);
    expect(parseEntry('-I inc dir')).toEqual([{ kind: 'incdir', path: 'inc dir' }]);
    expect(parseEntry('-Iinc')).toEqual([{ kind: 'incdir', path: 'inc' }]);
  });
  it('refuses options it does not take and empty include entries', () => {
    expect(() => parseEntry('-v lib.v')).toThrow('option lowbit does not take');
    expect(() => parseEntry('+define+X=1')).toThrow('option lowbit does not take');
    expect(() => parseEntry('+incdir+')).toThrow('names no directory');
    expect(() => parseEntry('-I')).toThrow('names no directory');
  });
});

describe('files.f lists', () => {
  const dir = tmp('filelist');
  mkdirSync(join(dir, 'inc'));
  writeFileSync(join(dir, 'a b.v'), 'module a; endmodule\n');
  writeFileSync(join(dir, 'inc', 'defs.vh'), '`define X 1\n');
  const list = join(dir, 'files.f');

  it('resolves files and include directories against the RTL directory, in order', () => {
    const l = parseFileList('# header\n+incdir+inc\n\n// the design\na b.v\n-I inc\n', dir, list);
    expect(l).toEqual({ files: [join(dir, 'a b.v')], incdirs: [join(dir, 'inc')] });
  });
  it('names the list, the line and the path of a missing file (exit 2)', () => {
    let err: unknown;
    try {
      parseFileList('a b.v\n\nmissing.v\n', dir, list);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(`${list} line 3 names "missing.v", but ${join(dir, 'missing.v')} does not exist (expected a Verilog file)`);
  });
  it('refuses a directory named as a file, a missing include directory and an empty list', () => {
    expect(() => parseFileList('inc\n', dir, list)).toThrow('line 1 names "inc", but');
    expect(() => parseFileList('+incdir+nope\na b.v\n', dir, list)).toThrow(`line 1: include directory "nope"`);
    expect(() => parseFileList('// nothing\n', dir, list)).toThrow('lists no Verilog files');
  });
});

describe('staging with include directories', () => {
  it('copies what a source includes from an include directory under inc<n>/ and hashes it', () => {
    const dir = tmp('stage-inc');
    mkdirSync(join(dir, 'rtl'));
    mkdirSync(join(dir, 'hdr'));
    writeFileSync(join(dir, 'rtl', 'a.v'), '`include "defs.vh"\nmodule a; endmodule\n');
    writeFileSync(join(dir, 'hdr', 'defs.vh'), '`define W 4\n');
    const s = stageSources([join(dir, 'rtl', 'a.v')], join(dir, 'st'), { incdirs: [join(dir, 'hdr')] });
    expect(s.incdirs).toEqual(['inc0']);
    expect(s.contents.filter((c) => typeof c === 'string')).toEqual(['a.v', 'inc0/defs.vh']);
  });
  it('gives names Yosys would glob a plain name', () => {
    const dir = tmp('stage-glob');
    writeFileSync(join(dir, 'a[b].v'), 'module a; endmodule\n');
    const s = stageSources([join(dir, 'a[b].v')], join(dir, 'st'), { rename: /[[\]]/ });
    expect(s.names.get(join(dir, 'a[b].v'))).toBe('lowbit_src0.v');
  });
});

describe('script quoting', () => {
  it('Yosys: double quotes; a quote or line end is refused; a leading dash is not an option', () => {
    expect(yosysWord('row file;x $y[1].v')).toBe('"row file;x $y[1].v"');
    expect(yosysWord('-x.v')).toBe('"./-x.v"');
    expect(() => yosysWord('a"b.v')).toThrow(UsageError);
    expect(() => yosysWord('a\nb.v')).toThrow('cannot be written in a Yosys script');
  });
  it('Tcl: braces; braces and backslashes are refused', () => {
    expect(tclWord('a b;$c[d]"e".v')).toBe('{a b;$c[d]"e".v}');
    for (const bad of ['a{b', 'a}b', 'a\\b', 'a\nb']) expect(() => tclWord(bad)).toThrow('cannot be written in an OpenSTA (Tcl) script');
  });
});
