/**
 * Footprint instrumentation for the explorer's sleep sets (X1): makes every access to a model
 * object add one shared-object key to the running step's footprint, without editing the
 * model's classes.
 *
 * Invariants:
 * - Instrumentation is in place (own accessors and own method wrappers on the instance): the
 *   object keeps its identity, and methods run with `this` = the instance, so `#private`
 *   fields, `===` comparisons and WeakMap keys behave exactly as without it.
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

function wrapMethod(obj: object, rt: Toucher, key: string, fn: (...a: unknown[]) => unknown) {
  const isGen = fn instanceof (GeneratorFunction as new () => unknown);
  return function (this: unknown, ...args: unknown[]): unknown {
    rt.touch(key);
    const r = fn.apply(obj, args);
    return isGen ? touchingIterator(rt, key, r as Generator<unknown, unknown, unknown>) : r;
  };
}

function instrumentOwn(obj: Record<string, unknown>, rt: Toucher, key: string): void {
  for (const name of Object.getOwnPropertyNames(obj)) {
    const d = Object.getOwnPropertyDescriptor(obj, name);
    if (d === undefined || !d.configurable || !('value' in d) || typeof d.value === 'function') continue;
    let value: unknown = d.value;
    Object.defineProperty(obj, name, {
      configurable: true,
      enumerable: d.enumerable ?? true,
      get() {
        rt.touch(key);
        return value;
      },
      set(v: unknown) {
        rt.touch(key);
        value = v;
      },
    });
  }
}

function instrumentProto(obj: object, rt: Toucher, key: string): void {
  const seen = new Set<string | symbol>(Object.getOwnPropertyNames(obj));
  for (
    let p = Object.getPrototypeOf(obj);
    p !== null && p !== Object.prototype;
    p = Object.getPrototypeOf(p)
  ) {
    for (const name of Reflect.ownKeys(p)) {
      if (name === 'constructor' || seen.has(name)) continue;
      seen.add(name);
      const d = Object.getOwnPropertyDescriptor(p, name)!;
      if (typeof d.value === 'function') {
        Object.defineProperty(obj, name, {
          configurable: true,
          writable: true,
          value: wrapMethod(obj, rt, key, d.value as (...a: unknown[]) => unknown),
        });
      } else if (d.get !== undefined || d.set !== undefined) {
        const { get, set } = d;
        Object.defineProperty(obj, name, {
          configurable: true,
          get:
            get === undefined
              ? undefined
              : () => {
                  rt.touch(key);
                  return get.call(obj);
                },
          set:
            set === undefined
              ? undefined
              : (v: unknown) => {
                  rt.touch(key);
                  set.call(obj, v);
                },
        });
      }
    }
  }
}

/**
 * Make every use of `obj` (fields, methods, accessors) touch `key` in the running step's
 * footprint. Over-approximates: a read and a write count the same. Returns `obj` itself.
 */
export function instrumentFootprint<T extends object>(obj: T, rt: Toucher, key: string): T {
  instrumentOwn(obj as Record<string, unknown>, rt, key);
  instrumentProto(obj, rt, key);
  return obj;
}
