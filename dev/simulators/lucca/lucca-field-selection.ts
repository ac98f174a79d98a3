/**
 * Parser for the v3 `fields` query parameter: comma list, case-insensitive names, nested selection
 * with brackets (`manager[id,name]`) or dots (`manager.id`), both mixable, as Lucca's RDD
 * TreeParser accepts. `collection.count` is a field like the others here; callers pull it out.
 */

export interface FieldNode {
  /** Name as the caller spelled it (first occurrence). */
  spelled: string;
  /** null = the whole property was selected. */
  children: FieldTree | null;
}

/** Keyed by lower-cased name. */
export type FieldTree = Map<string, FieldNode>;

export class FieldSelectionError extends Error {
  override readonly name = 'FieldSelectionError';
}

export function parseFieldSelection(text: string): FieldTree {
  const tree: FieldTree = new Map();
  for (const item of splitTopLevel(text)) {
    const trimmed = item.trim();
    if (trimmed === '') continue;
    const bracket = trimmed.indexOf('[');
    let path: string;
    let children: FieldTree | null = null;
    if (bracket >= 0) {
      if (!trimmed.endsWith(']')) throw new FieldSelectionError('Query parameter is invalid: unbalanced brackets in fields');
      path = trimmed.slice(0, bracket);
      children = parseFieldSelection(trimmed.slice(bracket + 1, -1));
      if (children.size === 0) children = null;
    } else {
      if (trimmed.includes(']')) throw new FieldSelectionError('Query parameter is invalid: unbalanced brackets in fields');
      path = trimmed;
    }
    const segments = path.split('.').map((s) => s.trim());
    if (segments.some((s) => s === '' || !/^[A-Za-z0-9_-]+$/.test(s))) {
      throw new FieldSelectionError('Query parameter is invalid: bad field name');
    }
    addPath(tree, segments, children);
  }
  return tree;
}

function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') {
      depth--;
      if (depth < 0) throw new FieldSelectionError('Query parameter is invalid: unbalanced brackets in fields');
    } else if (c === ',' && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw new FieldSelectionError('Query parameter is invalid: unbalanced brackets in fields');
  items.push(text.slice(start));
  return items;
}

function addPath(tree: FieldTree, segments: string[], leafChildren: FieldTree | null): void {
  const [head, ...rest] = segments as [string, ...string[]];
  const key = head.toLowerCase();
  const incoming: FieldTree | null = rest.length > 0 ? new Map() : leafChildren;
  if (rest.length > 0) addPath(incoming as FieldTree, rest, leafChildren);
  const existing = tree.get(key);
  if (!existing) {
    tree.set(key, { spelled: head, children: incoming });
    return;
  }
  // Whole selection wins over a partial one.
  if (existing.children === null || incoming === null) {
    existing.children = null;
    return;
  }
  for (const [childKey, child] of incoming) mergeNode(existing.children, childKey, child);
}

function mergeNode(tree: FieldTree, key: string, node: FieldNode): void {
  const existing = tree.get(key);
  if (!existing) {
    tree.set(key, node);
    return;
  }
  if (existing.children === null || node.children === null) {
    existing.children = null;
    return;
  }
  for (const [childKey, child] of node.children) mergeNode(existing.children, childKey, child);
}
