/**
 * Tag bitmaps of the radix tree's nodes (the kernel's per-node `tags[RADIX_TREE_MAX_TAGS]`
 * arrays and their walks up the tree in radix_tree_tag_set / radix_tree_tag_clear).
 *
 * Invariant kept by tagUp / untagUp: a slot's bit is set exactly when it is a canonical item
 * slot carrying the tag, or a child slot whose child has any bit of the tag (OR upwards).
 * Layout: six int32 words per node, tags[id * 6 + 2 * tag + (slot >> 5)].
 */
import { MAP_SIZE, NONE, type NodeStore, TAG_WORDS } from './radix-tree-node.js';

/** Whether slot `off` of node `id` carries `tag` (tag_get). */
export function tagBit(s: NodeStore, id: number, tag: number, off: number): boolean {
  return ((s.tags[id * TAG_WORDS + 2 * tag + (off >>> 5)]! >>> (off & 31)) & 1) === 1;
}

/** Set `tag` on slot `off` of node `id` (tag_set). */
export function setTagBit(s: NodeStore, id: number, tag: number, off: number): void {
  s.tags[id * TAG_WORDS + 2 * tag + (off >>> 5)]! |= 1 << (off & 31);
}

/** Clear `tag` on slot `off` of node `id` (tag_clear). */
export function clearTagBit(s: NodeStore, id: number, tag: number, off: number): void {
  s.tags[id * TAG_WORDS + 2 * tag + (off >>> 5)]! &= ~(1 << (off & 31));
}

/** Whether any slot of node `id` carries `tag` (any_tag_set). */
export function anyTag(s: NodeStore, id: number, tag: number): boolean {
  const w = id * TAG_WORDS + 2 * tag;
  return (s.tags[w]! | s.tags[w + 1]!) !== 0;
}

/** Whether any slot of node `id` carries any tag: one test lets untagged deletes skip the tags. */
export function anyTagAtAll(s: NodeStore, id: number): boolean {
  const w = id * TAG_WORDS;
  const t = s.tags;
  return (t[w]! | t[w + 1]! | t[w + 2]! | t[w + 3]! | t[w + 4]! | t[w + 5]!) !== 0;
}

/** The first slot >= `from` of node `id` carrying `tag`, or 64 (radix_tree_find_next_bit). */
export function nextTagged(s: NodeStore, id: number, tag: number, from: number): number {
  const w = id * TAG_WORDS + 2 * tag;
  if (from < 32) {
    const lo = s.tags[w]! & (-1 << from);
    if (lo !== 0) return 31 - Math.clz32(lo & -lo);
    from = 32;
  }
  if (from >= MAP_SIZE) return MAP_SIZE;
  const hi = s.tags[w + 1]! & (-1 << (from - 32));
  return hi === 0 ? MAP_SIZE : 63 - Math.clz32(hi & -hi);
}

/** Set `tag` on a canonical slot and on every ancestor slot above it (tag_set's walk up). */
export function tagUp(s: NodeStore, id: number, off: number, tag: number): void {
  // Stop at the first slot already set: the invariant says every slot above it is set too.
  while (id !== NONE && !tagBit(s, id, tag, off)) {
    setTagBit(s, id, tag, off);
    off = s.offset[id]!;
    id = s.parent[id]!;
  }
}

/** Clear `tag` on a slot, then on each ancestor whose child no longer has any bit of it. */
export function untagUp(s: NodeStore, id: number, off: number, tag: number): void {
  while (id !== NONE && tagBit(s, id, tag, off)) {
    clearTagBit(s, id, tag, off);
    if (anyTag(s, id, tag)) return;
    off = s.offset[id]!;
    id = s.parent[id]!;
  }
}
