/**
 * The family-author kit: everything a family written outside lowbit's tree needs, from
 * `import { ... } from 'lowbit'`. A family is one object implementing {@link Family} (schema,
 * layout, weight domain, packers, golden model, generator, behavioural reference for `prove`);
 * its module calls {@link registerFamily} on import, and every command and API function then finds
 * it by name. The examples/ folder of the repository holds a complete one.
 *
 * The pieces below are the ones lowbit's built-in families are made of: the shared parameters and
 * streaming layout, the top module and shell around a family's row datapath, exact adder trees,
 * template rendering with lowbit's partials, value ranges, weight domains and bit packing.
 *
 * @packageDocumentation
 */

// ---- the contract and the registry ----

/** The family contract and the types its members take and return (see generators/common/family.ts for each member's meaning). */
export type { Family, CommonParams, Layout, Rtl, RtlFile, PackOptions, Weights, WeightDomain, GroupScales } from '../generators/common/family.js';

/**
 * Registers a family so that every command and API function finds it by name. Throws a UsageError
 * (exit 2) for a name that is not a lower-case identifier, a name another family object holds, or a
 * parameter named like a command option (see {@link RESERVED_PARAM_NAMES}). Registering the same
 * object twice is a no-op. Returns the family.
 */
export { registerFamily } from '../generators/registry.js';

/**
 * A family with activation formats (act_format, fp_mode, out_format): its integer array behind
 * floating-point decoders and, with out_format fp32, one FP32 rounding per row. Every built-in family is
 * one; a family of one's own registers `withActFormats(myFamily)` to get them (its schema needs act_bits).
 */
export { withActFormats, type WithActFormats } from '../generators/common/fpFront.js';

/** Names of the registered families (built-ins first, then in registration order). */
export { familyNames } from '../generators/registry.js';

/** The registered families (built-ins first, then in registration order). */
export { families } from '../generators/registry.js';

/** Parameter names a family may not use (they are command options), each with the commands that take it. */
export { RESERVED_PARAM_NAMES } from '../generators/common/reserved.js';

// ---- parameters ----

/** Parameter schema types: a schema is data (int, enum and bool parameters with ranges, defaults and docs). */
export type { ParamSchema, ParamSpec, IntParam, EnumParam, BoolParam, ParamValue } from '../generators/common/params.js';

/** Options of {@link streamSchema}: the family's own parameters, the range of one term, the row sum's logic levels. */
export type { StreamSchemaOptions } from '../generators/common/schema.js';

/**
 * A streaming family's schema: the shared parameters (rows, k, act_bits, max_beats, acc_bits with an
 * exact default, overflow, pipeline bounded by the row sum's levels) around the family's own.
 */
export { streamSchema } from '../generators/common/schema.js';

/**
 * Validates raw parameter values (CLI strings or JSON values) against a schema and fills defaults;
 * throws a UsageError naming the parameter, the allowed range and the value given.
 */
export { resolveParams } from '../generators/common/params.js';

// ---- layout and assembly ----

/** A family's row datapath and what the top module needs to know about it, for {@link assembleDesign}. */
export type { RowDesign, PortConn, SharedStage } from '../generators/common/design.js';

/** The layout (port widths, exact psum and accumulator widths, latency) of a design whose rows each sum `terms` terms per beat. */
export { streamLayout } from '../generators/common/design.js';

/** The context every `<top>_row` template needs for its ports (the `row_ports` partial). */
export { rowPortContext } from '../generators/common/design.js';

/**
 * Wraps a family's rendered `<top>_row` (and sub-modules) into the whole streaming design: the
 * generated-file header, the top module and lowbit's hand-written shell (and beat sequencer).
 */
export { assembleDesign } from '../generators/common/design.js';

/** One signed multiply-accumulate per lane of every row, per clock cycle: the figure per-MAC reports divide by. */
export { macsPerCycle } from '../generators/common/family.js';

// ---- adder trees and templates ----

/** Adder-tree plans: the inputs (a Verilog name and a value range) and the planned statements the `adder_tree` partial renders. */
export type { TreePlan, TreeInput, TreeStatement } from '../generators/common/adderTree.js';

/**
 * Plans a balanced adder tree with exact node widths over terms and 1-bit carry-ins, with `stages`
 * pipeline registers spread evenly; render it with the `adder_tree` partial (`{{> adder_tree tree}}`).
 */
export { planAdderTree } from '../generators/common/adderTree.js';

/** Logic levels of an adder tree over `terms` terms and `carries` carry-ins (the bound of `pipeline`). */
export { treeLevels } from '../generators/common/adderTree.js';

/** Sign-extends a Verilog expression from one width to another. */
export { signExt } from '../generators/common/adderTree.js';

/**
 * Renders a Handlebars template from the family's own folder (an absolute path or a file URL, e.g.
 * `new URL('./row.v.hbs', import.meta.url)`), with lowbit's partials and helpers.
 */
export { renderFile } from '../generators/common/render.js';

/** The statement of a behavioural reference row (`referenceRow`) that adds v * a for v in {-1, 0, +1}. */
export { addTrit } from '../generators/common/reference.js';

// ---- value ranges, weight domains and the golden model ----

/** An inclusive range of integers (BigInt bounds), for terms, sums and widths. */
export type { Range, Overflow } from '../generators/common/accumulator.js';

/** The range of a signed two's complement value of `bits` bits. */
export { signedRange } from '../generators/common/accumulator.js';

/** The range of a product of two independent ranges (one term w*a). */
export { productRange } from '../generators/common/accumulator.js';

/** The range of a sum of `n` terms in a range. */
export { scaleRange } from '../generators/common/accumulator.js';

/** The weight domain of signed `bits`-bit integers. */
export { signedDomain } from '../generators/common/domain.js';

/**
 * Checks weight values against a domain; a UsageError names the first value outside it, its place
 * (`where(i)`) and what is allowed: "weights[0][3] must be one of -1, 1, not 0".
 */
export { checkWeights } from '../generators/common/domain.js';

/** `where` for {@link checkWeights} over one beat's rows*k weights: value i is `weights[r][lane]`. */
export { beatPosition } from '../generators/common/domain.js';

/** The smallest range holding a weight domain (for term ranges). */
export { domainRange } from '../generators/common/domain.js';

/**
 * The golden model of a plain dot-product family: exact (BigInt) row results of one vector, with the
 * accumulator rules (acc_bits, wrap or saturate); rejects weights outside the domain.
 */
export { dotProductModel } from '../generators/common/golden.js';

/** The golden model of per-group sums, for a family with per-group scales (Family.scales). */
export { groupSums } from '../generators/common/golden.js';

// ---- bits ----

/** The seeded random generator a family's randomBeat draws from (its `u32()`, `int(lo, hi)`, `chance(p)`). */
export type { Rng } from '../core/rng.js';

/** 32-bit words that hold a number of bits (buses are little-endian arrays of 32-bit words). */
export { wordsFor } from '../core/bits.js';

/** Writes the low `width` bits of a value at a bit offset of a bus. */
export { setBits } from '../core/bits.js';

/** Reads `width` bits (unsigned) at a bit offset of a bus. */
export { getBits } from '../core/bits.js';

/** Packs lanes of `width` bits: lane i = (values[i] + offset) mod 2^width at [i*width +: width]. */
export { packLanes } from '../core/bits.js';

/** Reads lanes of `width` bits as two's complement values. */
export { unpackLanesSigned } from '../core/bits.js';

/** Fills a bus with random bits, keeping the bits past its width zero. */
export { randomWords } from '../core/bits.js';

/** Raw beats that put every code of `width` bits in every one of `fields` fields (a family's codeSweep). */
export { fieldSweep } from '../core/bits.js';

/** Sign-extends a `width`-bit value to a Number. */
export { signExtend } from '../core/bits.js';
