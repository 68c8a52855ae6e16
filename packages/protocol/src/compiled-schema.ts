import type { z } from 'zod';
import { isJsonObject } from './json-object.js';

/**
 * A schema compiled once into plain functions, for the hot path: it answers what the schema's
 * parse answers (the same output, keys in the same order, ids trimmed and numbers made strings)
 * for the inputs it is sure about, and `UNSURE` for every other one, which the schema itself then
 * parses, and whose errors it words. The schema stays the one definition of the wire format: this
 * reads its definition, and runs its own leaf parsers and checks (lengths, formats, refinements).
 * Walking the containers (objects, records, unions) without Zod's per-node results and issue
 * lists is what measured several times faster.
 */
export type CompiledSchema = (input: unknown) => unknown;

/** What a compiled schema answers when the schema itself must decide (and, if it refuses, say why). */
export const UNSURE: unique symbol = Symbol('unsure');

// Inside the compiled functions: the schema certainly refuses the value (a union tries its next
// option), or it is something this compiler leaves to the schema (the whole parse is unsure).
const FAIL = Symbol('fail');
const BAIL = Symbol('bail');

type Node = (value: unknown) => unknown;

/** The parts of Zod's internals a compiled schema reads (`schema._zod`), as Zod 4 lays them out. */
interface Internals {
  def: Definition;
  run(payload: Payload, context: { async: false }): Payload | Promise<Payload>;
  optin?: string;
}
interface Definition {
  type: string;
  checks?: Check[];
  shape?: Record<string, unknown>;
  catchall?: unknown;
  innerType?: unknown;
  options?: unknown[];
  discriminator?: string;
  unionFallback?: boolean;
  inclusive?: boolean;
  keyType?: unknown;
  valueType?: unknown;
  values?: unknown[];
  in?: unknown;
  out?: unknown;
}
interface Check {
  _zod: { def: { when?: (payload: Payload) => boolean }; check(payload: Payload): unknown };
}
interface Payload {
  value: unknown;
  issues: unknown[];
}

const CONTEXT = { async: false } as const;

/** Leaf types: their own parser (and checks) run as Zod runs them. */
const LEAVES = new Set(['string', 'number', 'boolean', 'literal', 'undefined', 'null', 'enum', 'transform']);

/**
 * Compiles a schema, or throws when it uses a kind of schema this compiler does not know (arrays,
 * intersections, defaults…): such a schema is for Zod alone.
 */
export function compileSchema(schema: z.ZodType): CompiledSchema {
  const node = compile(schema);
  return (input) => {
    const output = node(input);
    return output === FAIL || output === BAIL ? UNSURE : output;
  };
}

function internals(schema: unknown): Internals {
  const zod = (schema as { _zod?: Internals } | undefined)?._zod;
  if (!zod?.def) throw new Error('not a Zod schema');
  return zod;
}

function compile(schema: unknown): Node {
  const zod = internals(schema);
  const { def } = zod;
  if (def.type === 'unknown' || def.type === 'any') return withChecks(identity, def.checks);
  if (LEAVES.has(def.type)) return leaf(zod);
  switch (def.type) {
    case 'object':
      return withChecks(objectNode(def), def.checks);
    case 'record':
      return withChecks(recordNode(def), def.checks);
    case 'optional':
      return withChecks(optionalNode(def), def.checks);
    case 'nullable': {
      const inner = compile(def.innerType);
      return withChecks((value) => (value === null ? null : inner(value)), def.checks);
    }
    case 'union':
      return withChecks(def.discriminator === undefined ? unionNode(def) : discriminatedNode(def), def.checks);
    case 'pipe': {
      const first = compile(def.in);
      const then = compile(def.out);
      return withChecks((value) => {
        const piped = first(value);
        return piped === FAIL || piped === BAIL ? piped : then(piped);
      }, def.checks);
    }
    default:
      throw new Error(`cannot compile a Zod ${def.type}`);
  }
}

const identity: Node = (value) => value;

/**
 * A leaf: strings, numbers, booleans and literals checked here, with the checks their definition
 * lists (trim, lengths, date formats); any other leaf, or check, parsed by Zod itself, refused when
 * it reports an issue, unsure when it would not answer at once.
 */
function leaf(zod: Internals): Node {
  const { def } = zod;
  const own = def as Definition & { coerce?: boolean; check?: string };
  if (!own.coerce && !def.checks?.length) {
    if (def.type === 'number') return (value) => (typeof value === 'number' && Number.isFinite(value) ? value : FAIL);
    if (def.type === 'boolean') return (value) => (typeof value === 'boolean' ? value : FAIL);
    if (def.type === 'literal') {
      const values = new Set(def.values);
      return (value) => (values.has(value) ? value : FAIL);
    }
  }
  if (def.type === 'string' && !own.coerce) {
    const steps = stringSteps([...(own.check === undefined ? [] : [{ _zod: zod } as unknown as Check]), ...(def.checks ?? [])]);
    if (steps) {
      return (value) => {
        if (typeof value !== 'string') return FAIL;
        let text = value;
        for (const step of steps) {
          const next = step(text);
          if (next === FAIL) return FAIL;
          text = next;
        }
        return text;
      };
    }
  }
  return (value) => {
    const result = zod.run({ value, issues: [] }, CONTEXT);
    if (result instanceof Promise) return BAIL;
    return result.issues.length > 0 ? FAIL : result.value;
  };
}

type StringStep = (text: string) => string | typeof FAIL;

// Formats that are their pattern alone (others, like emails and URLs, check more).
const PATTERN_FORMATS = new Set(['datetime', 'date', 'time']);

/** A string's checks as steps, or undefined when one of them is a kind only Zod runs. */
function stringSteps(checks: Check[]): StringStep[] | undefined {
  const steps: StringStep[] = [];
  for (const check of checks) {
    const def = check._zod.def as {
      check?: string;
      when?: (payload: Payload) => boolean;
      tx?: (text: string) => string;
      minimum?: number;
      maximum?: number;
      format?: string;
      pattern?: RegExp;
    };
    const when = def.when;
    const scratch: Payload = { value: undefined, issues: [] };
    const applies = when ? (text: string) => ((scratch.value = text), when(scratch)) : () => true;
    if (def.check === 'overwrite' && def.tx) {
      const tx = def.tx;
      steps.push((text) => (applies(text) ? tx(text) : text));
    } else if (def.check === 'min_length' && typeof def.minimum === 'number') {
      const minimum = def.minimum;
      steps.push((text) => (applies(text) && text.length < minimum ? FAIL : text));
    } else if (def.check === 'max_length' && typeof def.maximum === 'number') {
      const maximum = def.maximum;
      steps.push((text) => (applies(text) && text.length > maximum ? FAIL : text));
    } else if (def.check === 'string_format' && PATTERN_FORMATS.has(def.format ?? '') && def.pattern) {
      const pattern = def.pattern;
      steps.push((text) => {
        if (!applies(text)) return text;
        pattern.lastIndex = 0;
        return pattern.test(text) ? text : FAIL;
      });
    } else {
      return undefined;
    }
  }
  return steps;
}

/** A container's own checks (refinements), run on its output as Zod runs them after parsing. */
function withChecks(node: Node, checks: Check[] | undefined): Node {
  if (!checks || checks.length === 0) return node;
  return (value) => {
    const output = node(value);
    if (output === FAIL || output === BAIL) return output;
    const payload: Payload = { value: output, issues: [] };
    for (const check of checks) {
      const when = check._zod.def.when;
      if (when && !when(payload)) continue;
      if (check._zod.check(payload) instanceof Promise) return BAIL;
      if (payload.issues.length > 0) return FAIL;
    }
    return payload.value;
  };
}

/** A plain object, as JSON makes them: anything else (class instances, odd prototypes) is left to Zod. */
function isPlain(value: Record<string, unknown>): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function objectNode(def: Definition): Node {
  const shape = def.shape ?? {};
  if (Object.getOwnPropertySymbols(shape).length > 0) throw new Error('cannot compile symbol keys');
  const keys = Object.keys(shape);
  if (keys.includes('__proto__')) throw new Error('cannot compile a __proto__ key');
  const nodes = keys.map((key) => compile(shape[key]));
  const catchall = def.catchall === undefined ? 'strip' : internals(def.catchall).def.type;
  if (catchall !== 'strip' && catchall !== 'unknown') throw new Error(`cannot compile a ${catchall} catchall`);
  // Straight-line code, a statement per declared key with the key written in it, as Zod's own
  // parser for objects is made: reading and writing named properties is what V8 makes fast.
  const fields = keys.map((key, index) => {
    const name = JSON.stringify(key);
    // Absent and optional: left out, as Zod leaves it. Any other undefined is Zod's to judge.
    const absent =
      internals(shape[key]).def.type === 'optional' ? `if (!(${name} in input)) {} else return BAIL;` : 'return BAIL;';
    return `value = input[${name}];
      if (value === undefined) { ${absent} } else {
        parsed = nodes[${index}](value);
        if (parsed === FAIL || parsed === BAIL) return parsed;
        if (parsed === undefined) return BAIL;
        output[${name}] = parsed;
      }`;
  });
  const rest =
    catchall === 'unknown'
      ? `for (const key in input) {
          if (declared.has(key)) continue;
          if (key === '__proto__') return BAIL;
          output[key] = input[key];
        }`
      : '';
  const body = `return function parseObject(input) {
      if (!isJsonObject(input)) return FAIL;
      if (!isPlain(input)) return BAIL;
      const output = {};
      let value;
      let parsed;
      ${fields.join('\n')}
      ${rest}
      return output;
    };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the code is made from the schema's own keys, each a JSON string literal
  const make = new Function('nodes', 'declared', 'isJsonObject', 'isPlain', 'FAIL', 'BAIL', body) as (
    ...parts: unknown[]
  ) => Node;
  return make(nodes, new Set(keys), isJsonObject, isPlain, FAIL, BAIL);
}

function recordNode(def: Definition): Node {
  const keyType = internals(def.keyType).def;
  // Any string is a key: other key schemas (enums, patterns) would decide per key.
  if (keyType.type !== 'string' || Object.keys(keyType).some((key) => key !== 'type')) {
    throw new Error('cannot compile a record keyed other than by any string');
  }
  const valueNode = compile(def.valueType);
  return (input) => {
    if (!isJsonObject(input)) return FAIL;
    if (!isPlain(input)) return BAIL;
    const output: Record<string, unknown> = {};
    // Zod reads every own enumerable key, symbols too (and refuses those): JSON makes none.
    if (Object.getOwnPropertySymbols(input).length > 0) return BAIL;
    for (const key of Object.keys(input)) {
      if (key === '__proto__') return BAIL;
      const parsed = valueNode(input[key]);
      if (parsed === FAIL || parsed === BAIL) return parsed;
      output[key] = parsed;
    }
    return output;
  };
}

function optionalNode(def: Definition): Node {
  if (internals(def.innerType).optin === 'defaulted') throw new Error('cannot compile an optional default');
  const inner = compile(def.innerType);
  return (value) => (value === undefined ? undefined : inner(value));
}

/** The first option that takes the value wins, as in Zod; unsure as soon as one option is. */
function unionNode(def: Definition): Node {
  if (def.inclusive === false) throw new Error('cannot compile an exclusive union');
  const options = (def.options ?? []).map(compile);
  return (value) => {
    for (const option of options) {
      const parsed = option(value);
      if (parsed !== FAIL) return parsed;
    }
    return FAIL;
  };
}

/** The option whose literal the discriminator holds parses the object. */
function discriminatedNode(def: Definition): Node {
  if (def.unionFallback) throw new Error('cannot compile a discriminated union with a fallback');
  const discriminator = def.discriminator!;
  const byValue = new Map<unknown, Node>();
  for (const option of def.options ?? []) {
    const tag = internals(internals(option).def.shape?.[discriminator]).def;
    if (tag.type !== 'literal') throw new Error('cannot compile a discriminator other than literals');
    const node = compile(option);
    for (const value of tag.values ?? []) byValue.set(value, node);
  }
  return (input) => {
    if (!isJsonObject(input)) return FAIL;
    const option = byValue.get(input[discriminator]);
    return option ? option(input) : FAIL;
  };
}
