/**
 * Kernel errno names used as model error values.
 *
 * Model code never throws for an expected failure: it returns one of these names, so a
 * trace reads like the kernel's (`-EEXIST` from `__radix_tree_insert`, `-ENOMEM` from
 * `radix_tree_preload`, `-ENOSPC` from block allocation). Exceptions are reserved for
 * misuse of an API (a broken precondition), which is a bug in the caller.
 */
export const ERRNOS = [
  'EEXIST',
  'ENOMEM',
  'ENOSPC',
  'EIO',
  'EINVAL',
  'EBUSY',
  'EFBIG',
  'EAGAIN',
  'ENOENT',
  'EFAULT',
] as const;

export type Errno = (typeof ERRNOS)[number];

export function isErrno(value: unknown): value is Errno {
  return typeof value === 'string' && (ERRNOS as readonly string[]).includes(value);
}
