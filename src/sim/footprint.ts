/**
 * Footprint instrumentation for the explorer's sleep sets (X1): makes every access to a model
 * object add one shared-object key to the running step's footprint, without editing the
 * model's classes.
 *
 * Invariants:
 * - Instrumentation is in place: the prototype becomes a per-class child holding shared
 *   touching wrappers of the methods and accessors, and one shared get/set pair per own field
 *   name (the values move to a side record), which find the instance's (runtime, key) in a
 *   symbol slot. The instance keeps fast properties and a map shared by its class. So no
 *   closure is made per instance, the object keeps its identity and `instanceof`, and methods
 *   run with `this` = the instance: `#private` fields, `===` and WeakMap keys behave as without.
 * - Every own data property read or write (but of a field holding a function: a hook), every
 *   prototype method call and getter/setter use touches the key; a generator method touches it again on every resume (its body runs
 *   over several steps). Nothing else changes: results are the same with or without it.
 * - Used only when footprints are on; the default path never calls it.
 */

/** The part of the runtime instrumentation needs. */
export interface Toucher {
  touch(key: string): void;
}

const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor as unknown;

/** An iterator that touches `key` before every resume of `inner`. */
function touchingIterator<T, R, N>(rt: Toucher, key: string, inner: Generator<T, R, N>): Generator<T, R, N> {
  const it = {
    next(...v: [] | [N]) {
      rt.touch(key);
      return inner.next(...v);
    },
    return(v: R) {
      rt.touch(key);
      return inner.return(v);
    },
    throw(e: unknown) {
      rt.touch(key);
      return inner.throw(e);
    },
    [Symbol.iterator]() {
      return it;
    },
  };
  return it as unknown as Generator<T, R, N>;
}

/**
 * Where an instrumented object keeps its `{ rt, key, vals }`: the runtime, its key and its
 * instrumented fields' values (one slot: one property to add per instance, not two).
 */
const FP = Symbol('footprint');

type AnyFn = (this: unknown, ...a: unknown[]) => unknown;

/**
 * A new function literal built from `body`, with `FP`, `touchingIterator` and the
 * given values in scope. Every wrapper and accessor is its own literal, one per class and
 * member: V8 keeps inline caches per literal, and a literal shared by every instrumented
 * class saw all their shapes and went megamorphic (measured: per-access cost several times
 * higher). Bodies are built here from member names checked to be identifiers.
 */
function compile(body: string, names: string[], values: unknown[]): unknown {
  return new Function('FP', 'touchingIterator', ...names, body)(FP, touchingIterator, ...values);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `.name` as source text, for a field name checked to be an identifier. */
function memberAccess(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`instrumentFootprint: field '${name}' is not an identifier`);
  return `.${name}`;
}

const TOUCH = 'const f = this[FP]; f.rt.touch(f.key);';

/** The touching wrapper of one prototype method of one class. */
function wrapMethod(fn: AnyFn): AnyFn {
  const isGen = fn instanceof (GeneratorFunction as new () => unknown);
  const call = isGen
    ? 'return touchingIterator(f.rt, f.key, fn.apply(this, arguments));'
    : 'return fn.apply(this, arguments);';
  return compile(`return function () { ${TOUCH} ${call} };`, ['fn'], [fn]) as AnyFn;
}

/** The touching wrappers of one prototype accessor of one class. */
function wrapAccessor(d: PropertyDescriptor): PropertyDescriptor {
  const { get, set } = d;
  return {
    configurable: true,
    get:
      get === undefined
        ? undefined
        : (compile(
            `return function () { ${TOUCH} return get.call(this); };`,
            ['get'],
            [get],
          ) as () => unknown),
    set:
      set === undefined
        ? undefined
        : (compile(`return function (v) { ${TOUCH} set.call(this, v); };`, ['set'], [set]) as (
            v: unknown,
          ) => void),
  };
}

/**
 * The instrumented child of a class prototype: touching wrappers of every method and
 * accessor along the chain, and (added by `instrumentFootprint`) of every own field. Built
 * once per class (classes are static, so the cache holds no model state).
 */
const instrumentedProtos = new Map<object, object>();

function instrumentedProto(proto: object): object {
  let ip = instrumentedProtos.get(proto);
  if (ip !== undefined) return ip;
  ip = Object.create(proto) as object;
  const seen = new Set<string | symbol>();
  for (let p: object | null = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Reflect.ownKeys(p)) {
      if (name === 'constructor' || seen.has(name)) continue;
      seen.add(name);
      const d = Object.getOwnPropertyDescriptor(p, name)!;
      if (typeof d.value === 'function') {
        Object.defineProperty(ip, name, {
          configurable: true,
          writable: true,
          value: wrapMethod(d.value as AnyFn),
        });
      } else if (d.get !== undefined || d.set !== undefined) {
        Object.defineProperty(ip, name, wrapAccessor(d));
      }
    }
  }
  instrumentedProtos.set(proto, ip);
  return ip;
}

/** Field accessors put on each instrumented prototype: touching or not, by field name. */
const fieldAccessorsOf = new Map<object, Map<string, boolean>>();

/**
 * Put field `name`'s accessor pair on an instrumented prototype (once per class): touching,
 * or not for a field holding a function (a hook installed on the object, never counted as
 * state). Values live in the instance's `vals` record.
 */
function addFieldAccessor(ip: object, name: string, touching: boolean): void {
  let known = fieldAccessorsOf.get(ip);
  if (known === undefined) {
    known = new Map();
    fieldAccessorsOf.set(ip, known);
  }
  const had = known.get(name);
  if (had === touching) return;
  if (had !== undefined || Object.hasOwn(ip, name))
    throw new Error(`instrumentFootprint: field '${name}' clashes with a member of its class`);
  known.set(name, touching);
  const m = memberAccess(name);
  const pre = touching ? TOUCH : '';
  const rec = touching ? 'f' : 'this[FP]';
  const pair = compile(
    `return { get() { ${pre} return ${rec}.vals${m}; }, set(v) { ${pre} ${rec}.vals${m} = v; } };`,
    [],
    [],
  ) as { get(): unknown; set(v: unknown): void };
  Object.defineProperty(ip, name, { configurable: true, enumerable: true, get: pair.get, set: pair.set });
}

/**
 * Instrument one instance whose own field names are exactly `names` (in order), with the
 * touching flags its class was instrumented with: false when a field's function-ness differs
 * (the general path then handles or refuses it). Compiled once per instrumented prototype.
 */
type Instrumenter = (obj: object, rt: Toucher, key: string) => boolean;

/** The compiled instrumenter of each instrumented prototype, with the field layout it expects. */
const layoutsOf = new Map<object, { names: readonly string[]; fast: Instrumenter }>();

/**
 * What the general path below does to an instance of this layout, as straight-line code:
 * named reads and deletes and an object literal for the values, each a monomorphic site
 * (the general loop's keyed accesses saw every class and field, at several times the cost).
 */
function compileInstrumenter(
  ip: object,
  names: readonly string[],
  touching: readonly boolean[],
): Instrumenter {
  const reads = names.map((n, i) => `const v${i} = obj${memberAccess(n)};`).join(' ');
  const kinds = names.map((_, i) => `(typeof v${i} === 'function') !== ${!touching[i]}`).join(' || ');
  const deletes = [...names]
    .reverse()
    .map((n) => `delete obj${memberAccess(n)};`)
    .join(' ');
  const vals = names.map((n, i) => `${n}: v${i}`).join(', ');
  const body = `return function (obj, rt, key) {
    ${reads}
    if (${kinds || 'false'}) return false;
    ${deletes}
    obj[FP] = { rt, key, vals: { ${vals} } };
    Object.setPrototypeOf(obj, ip);
    return true;
  };`;
  return compile(body, ['ip'], [ip]) as Instrumenter;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Make every use of `obj` (fields, methods, accessors) touch `key` in the running step's
 * footprint. Over-approximates: a read and a write count the same. Returns `obj` itself.
 * An object is instrumented once: a second call (any key) leaves it as it is.
 *
 * The own data fields move into a side record and the field accessors sit on the per-class
 * instrumented prototype, not on the instance: fields are deleted last-added first, which V8
 * undoes as map transitions, so the instance keeps fast properties and every instance of a
 * class shares one map (per-instance accessors made each a slow dictionary-mode object).
 * An instance laid out as its class's first one takes that layout's compiled instrumenter.
 */
export function instrumentFootprint<T extends object>(obj: T, rt: Toucher, key: string): T {
  if (Object.hasOwn(obj, FP)) return obj;
  const proto = Object.getPrototypeOf(obj) as object | null;
  if (proto === null || proto === Object.prototype) {
    throw new Error('instrumentFootprint: only class instances can be instrumented');
  }
  const ip = instrumentedProto(proto);
  const names = Object.getOwnPropertyNames(obj);
  const layout = layoutsOf.get(ip);
  if (layout !== undefined && sameNames(layout.names, names) && layout.fast(obj, rt, key)) return obj;
  const known = fieldAccessorsOf.get(ip);
  const vals: Record<string, unknown> = {};
  for (const name of names) {
    const v = (obj as Record<string, unknown>)[name];
    // A field this class was instrumented with before is a plain data field (checked then).
    if (known?.get(name) === (typeof v !== 'function')) {
      vals[name] = v;
      continue;
    }
    const d = Object.getOwnPropertyDescriptor(obj, name)!;
    if (!(d.configurable && d.writable && 'value' in d)) {
      throw new Error(`instrumentFootprint: field '${name}' cannot be instrumented`);
    }
    vals[name] = d.value;
    addFieldAccessor(ip, name, typeof d.value !== 'function');
  }
  if (layout === undefined && !names.includes('__proto__')) {
    const touching = names.map((n) => fieldAccessorsOf.get(ip)!.get(n)!);
    layoutsOf.set(ip, { names, fast: compileInstrumenter(ip, names, touching) });
  }
  for (let i = names.length - 1; i >= 0; i--) delete (obj as Record<string, unknown>)[names[i]!];
  // A plain store, not defineProperty: it takes the map transition instead of a runtime call;
  // and before the prototype changes, where the transition is cached (measured: about 150 ns
  // a store after the change, several times less before).
  (obj as Record<symbol, unknown>)[FP] = { rt, key, vals };
  Object.setPrototypeOf(obj, ip);
  return obj;
}
