import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering README's "Layout" section describes holds only if no folder of `src/` imports, directly or through
 * other folders, a folder that imports it back. A node is a folder (first path segment under `src/`); a file at the
 * root of `src/` is a node of its own, so the kernel files (`errors.ts`, `config.ts`) sit at the bottom and
 * `composition-root.ts` above the rooms it wires. Test files count: a test belongs to the layer that owns what it
 * tests. Only TypeScript: the web page's ES modules are served as they are and never import the server's code.
 */
const SRC = dirname(fileURLToPath(import.meta.url));
/** `from '…'`, `import '…'` and `import('…')`, relative specifiers only (packages are not part of the layering). */
const RELATIVE_IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

interface Edge {
  from: string;
  to: string;
  files: string[];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function nodeOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 ? `${parts[0]}/` : parts[0]!;
}

/** Folder graph: for each (from, to) pair of distinct nodes, the `file -> imported file` lines that make it. */
function folderGraph(): Map<string, Edge> {
  const edges = new Map<string, Edge>();
  for (const file of tsFiles(SRC)) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(RELATIVE_IMPORT)) {
      const target = normalize(join(dirname(file), match[1]!.replace(/\.js$/, '.ts')));
      if (!target.startsWith(SRC + sep)) continue;
      const from = nodeOf(file);
      const to = nodeOf(target);
      if (from === to) continue;
      const key = `${from} -> ${to}`;
      const edge = edges.get(key) ?? { from, to, files: [] };
      edge.files.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
      edges.set(key, edge);
    }
  }
  return edges;
}

/** Strongly connected components with more than one node (Tarjan): each is a set of folders that import each other. */
function cycles(edges: Iterable<Edge>): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

describe('architecture', () => {
  it('has no import cycle between the folders of src/', () => {
    const edges = folderGraph();
    const report = cycles(edges.values()).map((component) => {
      const inside = [...edges.values()]
        .filter((e) => component.includes(e.from) && component.includes(e.to))
        .sort((a, b) => `${a.from}${a.to}`.localeCompare(`${b.from}${b.to}`));
      return [
        `cycle between ${component.join(', ')}:`,
        ...inside.flatMap((e) => [`  ${e.from} -> ${e.to}`, ...e.files.sort().map((f) => `      ${f}`)]),
      ].join('\n');
    });
    expect(report.join('\n\n')).toBe('');
  });

  it('sees the imports it checks', () => {
    // Guards the check above against a walk or a pattern that silently finds nothing.
    const edges = folderGraph();
    expect(edges.get('pipeline/ -> store/')?.files).toContain(join('pipeline', 'precompute.ts') + ' -> ' + join('store', 'store.ts'));
    expect(edges.get('config.ts -> errors.ts')?.files).toContain('config.ts -> errors.ts');
    expect(cycles([
      { from: 'a/', to: 'b/', files: [] },
      { from: 'b/', to: 'c/', files: [] },
      { from: 'c/', to: 'a/', files: [] },
      { from: 'c/', to: 'd/', files: [] },
    ])).toEqual([['a/', 'b/', 'c/']]);
  });
});
