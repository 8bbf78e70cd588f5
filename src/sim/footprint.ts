/**
 * Footprint instrumentation for the explorer's sleep sets (X1): makes every access to a model
 * object add one shared-object key to the running step's footprint, without editing the
 * model's classes.
 *
 * Invariants:
 * - Instrumentation is in place: own data fields become accessors (one shared get/set pair per
 *   field name, values in a side record) and the prototype becomes a per-class child holding
 *   shared touching wrappers, which find the instance's (runtime, key) in a symbol slot. So no
 *   closure is made per instance, the object keeps its identity and `instanceof`, and methods
 *   run with `this` = the instance: `#private` fields, `===` and WeakMap keys behave as without.
 * - Every own data property read or write, every prototype method call and getter/setter
 *   use touches the key; a generator method touches it again on every resume (its body runs
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

/** Where an instrumented object keeps its (runtime, key) and its instrumented fields' values. */
const FP = Symbol('footprint');
const VALS = Symbol('footprint values');

interface Instrumented {
  [FP]: { rt: Toucher; key: string };
  [VALS]: Record<string, unknown>;
}

type AnyFn = (this: unknown, ...a: unknown[]) => unknown;

/** One wrapper per prototype method, shared by every instrumented instance of the class. */
function sharedMethod(fn: AnyFn): AnyFn {
  if (fn instanceof (GeneratorFunction as new () => unknown)) {
    return function (this: unknown, ...args: unknown[]) {
      const f = (this as Instrumented)[FP];
      f.rt.touch(f.key);
      return touchingIterator(f.rt, f.key, fn.apply(this, args) as Generator<unknown, unknown, unknown>);
    };
  }
  return function (this: unknown, ...args: unknown[]) {
    const f = (this as Instrumented)[FP];
    f.rt.touch(f.key);
    return fn.apply(this, args);
  };
}

/**
 * The instrumented child of a class prototype: shared touching wrappers of every method and
 * accessor along the chain. Built once per class (classes are static, so the cache holds no
 * model state).
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
          value: sharedMethod(d.value as AnyFn),
        });
      } else if (d.get !== undefined || d.set !== undefined) {
        const { get, set } = d;
        Object.defineProperty(ip, name, {
          configurable: true,
          get:
            get === undefined
              ? undefined
              : function (this: Instrumented) {
                  this[FP].rt.touch(this[FP].key);
                  return get.call(this);
                },
          set:
            set === undefined
              ? undefined
              : function (this: Instrumented, v: unknown) {
                  this[FP].rt.touch(this[FP].key);
                  set.call(this, v);
                },
        });
      }
    }
  }
  instrumentedProtos.set(proto, ip);
  return ip;
}

/** One get/set pair per own field name, shared by every instance; values live in VALS. */
const fieldAccessors = new Map<
  string,
  { get(this: Instrumented): unknown; set(this: Instrumented, v: unknown): void }
>();

function fieldAccessor(name: string) {
  let a = fieldAccessors.get(name);
  if (a === undefined) {
    a = {
      get(this: Instrumented) {
        this[FP].rt.touch(this[FP].key);
        return this[VALS][name];
      },
      set(this: Instrumented, v: unknown) {
        this[FP].rt.touch(this[FP].key);
        this[VALS][name] = v;
      },
    };
    fieldAccessors.set(name, a);
  }
  return a;
}

/**
 * Make every use of `obj` (fields, methods, accessors) touch `key` in the running step's
 * footprint. Over-approximates: a read and a write count the same. Returns `obj` itself.
 * An object is instrumented once: a second call (any key) leaves it as it is.
 */
export function instrumentFootprint<T extends object>(obj: T, rt: Toucher, key: string): T {
  if (Object.hasOwn(obj, FP)) return obj;
  const vals: Record<string, unknown> = {};
  Object.defineProperty(obj, FP, { value: { rt, key } });
  Object.defineProperty(obj, VALS, { value: vals });
  for (const name of Object.getOwnPropertyNames(obj)) {
    const d = Object.getOwnPropertyDescriptor(obj, name);
    if (d === undefined || !d.configurable || !('value' in d) || typeof d.value === 'function') continue;
    vals[name] = d.value;
    const a = fieldAccessor(name);
    Object.defineProperty(obj, name, {
      configurable: true,
      enumerable: d.enumerable ?? true,
      get: a.get,
      set: a.set,
    });
  }
  const proto = Object.getPrototypeOf(obj) as object | null;
  if (proto !== null && proto !== Object.prototype) Object.setPrototypeOf(obj, instrumentedProto(proto));
  return obj;
}
