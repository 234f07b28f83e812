// Names a family parameter may not take: family parameters become command-line flags of every
// family command (`rows` -> --rows), so a parameter named like a command option (`seed` -> --seed)
// would silently collide with it. registerFamily refuses such a family. Kept as data, in parameter
// form (snake_case; the flag is its kebab-case form), with the commands that take each option, for
// the message. test/quick/registry.test.ts checks that it covers every option in cli/.

/** Reserved parameter name -> the commands whose option it would collide with ('every command' for the global ones). */
export const RESERVED_PARAM_NAMES: Readonly<Record<string, string>> = {
  // Every command, or the program itself.
  help: 'every command',
  version: 'the lowbit program',
  json: 'every command',
  family: 'every family command (its first argument)',
  top: 'every family command',
  out: 'gen, lint, cosim, synth, power, prove, mutate, pack, demo',
  // cosim, power, mutate, demo
  seed: 'cosim, power, mutate, demo',
  vectors: 'cosim, power, mutate, demo',
  stall: 'cosim, mutate',
  resets: 'cosim, mutate',
  sim: 'cosim, mutate',
  rtl: 'lint, cosim, synth, power, prove, mutate',
  netlist: 'cosim',
  dump: 'cosim',
  replay: 'cosim',
  timeout: 'lint, cosim, synth, power, prove, mutate, demo',
  // layer (its --weights doubles as the weights parameter of the families that have one)
  acts: 'layer',
  rounding: 'layer',
  tile: 'layer',
  // synth, power
  target: 'synth',
  clock_ns: 'synth, power',
  pnr: 'synth',
  device: 'synth',
  stimulus: 'power',
  activity: 'power',
  // prove, mutate
  cycles: 'prove, mutate',
  proof_timeout: 'mutate',
  check: 'mutate',
  count: 'mutate',
  cosim_seed: 'mutate',
  jobs: 'mutate',
  // pack
  matrix: 'pack',
  prune: 'pack',
  // cache
  older_than: 'cache clean',
  max_size: 'cache clean',
};
