#!/usr/bin/env python3
"""List `crate::`/`super::` edges between the modules of a Rust crate and
report 2-cycles between top-level modules and between sibling modules, and
larger strongly connected components among siblings.

usage: scripts/module-cycles.py SRC_DIR [--edges] [--tests] [--allow A:B]...
  e.g. scripts/module-cycles.py crate/engine/src --allow crlite:remote_settings
       scripts/module-cycles.py collector/src

Exits 1 when it finds a cycle that no --allow names (a 2-cycle between
modules A and B, by their paths below SRC_DIR, in either order), so that
`npm test` catches one coming back.

Non-test code only by default: `#[cfg(test)] mod tests { ... }` blocks and
files declared `#[cfg(test)] mod x;` are skipped unless --tests is given.
Comments (and so doc links) are ignored. `pub use` re-exports are followed,
so `crate::ocsp::Foo` counts as an edge to the module that defines Foo.
A heuristic reader of the source (regular expressions, no macro
expansion), good enough to find import circles; not a compiler.
"""
import os
import re
import sys
from collections import defaultdict

src = sys.argv[1]
show_edges = "--edges" in sys.argv
with_tests = "--tests" in sys.argv
allowed = {
    frozenset(sys.argv[i + 1].split(":"))
    for i, arg in enumerate(sys.argv[:-1])
    if arg == "--allow"
}


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    out = []
    for line in text.splitlines():
        # Crude: drop from // to the end unless inside a string (good enough here).
        i, in_str = 0, False
        while i < len(line):
            c = line[i]
            if c == '"' and (i == 0 or line[i - 1] != "\\"):
                in_str = not in_str
            if not in_str and line.startswith("//", i):
                line = line[:i]
                break
            i += 1
        out.append(line)
    return "\n".join(out)


def cut_tests(text):
    """Remove `#[cfg(test)] mod NAME { ... }` blocks."""
    while True:
        m = re.search(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", text)
        if not m:
            return text
        depth, i = 0, m.end() - 1
        while i < len(text):
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        text = text[: m.start()] + text[i + 1:]


# file -> module path (tuple)
files = {}
for root, _, names in os.walk(src):
    for n in names:
        if not n.endswith(".rs"):
            continue
        p = os.path.join(root, n)
        rel = os.path.relpath(p, src)[:-3].split(os.sep)
        if rel[-1] in ("lib", "main") and len(rel) == 1:
            mod = ()
        elif rel[-1] == "mod":
            mod = tuple(rel[:-1])
        else:
            mod = tuple(rel)
        files[p] = mod
modules = set(files.values())

raw = {p: open(p).read() for p in files}
test_mods = set()
for p, mod in files.items():
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", raw[p]):
        test_mods.add(mod + (m.group(1),))


def is_test(mod):
    return any(mod[: len(t)] == t for t in test_mods)


def expand_use(tree):
    """`a::{b, c::{d, e}}` -> [a::b, a::c::d, a::c::e]"""
    tree = re.sub(r"\s+", "", tree)
    depth = 0
    for i, c in enumerate(tree):
        if c == "{":
            if depth == 0:
                prefix, inner = tree[:i], tree[i + 1: tree.rindex("}")]
                parts, d, start = [], 0, 0
                for j, cc in enumerate(inner):
                    if cc == "{":
                        d += 1
                    elif cc == "}":
                        d -= 1
                    elif cc == "," and d == 0:
                        parts.append(inner[start:j])
                        start = j + 1
                parts.append(inner[start:])
                out = []
                for part in parts:
                    if not part:
                        continue
                    if part == "self":
                        out.append(prefix.rstrip(":"))
                    else:
                        out.extend(expand_use(prefix + part))
                return out
            depth += 1
    return [tree]


def absolute(mod, path):
    segs = [s for s in re.split(r"::", path) if s]
    segs = [re.sub(r"\bas\b.*$", "", s) for s in segs]
    if not segs:
        return None
    if segs[0] == "crate":
        base, rest = [], segs[1:]
    elif segs[0] in ("super", "self"):
        base = list(mod)
        rest = segs
        while rest and rest[0] in ("super", "self"):
            if rest[0] == "super":
                base = base[:-1]
            rest = rest[1:]
    else:
        return None
    return tuple(base + rest)


# Re-exports: module -> name -> absolute path of the item.
reexports = defaultdict(dict)
code = {}
for p, mod in files.items():
    text = strip_comments(raw[p])
    if not with_tests:
        text = cut_tests(text)
    code[p] = text
    for m in re.finditer(r"pub(?:\([^)]*\))?\s+use\s+([^;]+);", text):
        for path in expand_use(m.group(1)):
            a = absolute(mod, path)
            if a is None:
                continue
            name = path.split("::")[-1]
            if " as " in path:
                name = path.split(" as ")[-1].strip()
            reexports[mod][name.strip()] = a


def resolve(path, seen=0):
    """The module that defines the item at `path`."""
    for k in range(len(path), -1, -1):
        if path[:k] in modules:
            mod, rest = path[:k], path[k:]
            if rest and rest[0] in reexports.get(mod, {}) and seen < 8:
                return resolve(reexports[mod][rest[0]] + rest[1:], seen + 1)
            return mod
    return None


edges = defaultdict(set)  # (from_mod, to_mod) -> {file:line}
for p, mod in files.items():
    if not with_tests and is_test(mod):
        continue
    text = code[p]
    paths = []
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        line = text.count("\n", 0, m.start()) + 1
        for path in expand_use(m.group(1)):
            paths.append((path, line))
    # Inline paths outside `use` items.
    no_use = re.sub(r"\buse\s+[^;]+;", lambda m: "\n" * m.group(0).count("\n"), text)
    for m in re.finditer(r"\b(?:crate|super|self)(?:::\w+)+", no_use):
        line = no_use.count("\n", 0, m.start()) + 1
        paths.append((m.group(0), line))
    for path, line in paths:
        a = absolute(mod, path)
        if a is None:
            continue
        target = resolve(a)
        if target is None or target == mod:
            continue
        edges[(mod, target)].add(f"{os.path.relpath(p, src)}:{line}")


def name(mod):
    return "::".join(mod) or "crate"


def lift(mod, parent):
    """The ancestor of `mod` that is a child of `parent`, or None."""
    if mod[: len(parent)] != parent or len(mod) <= len(parent):
        return None
    return mod[: len(parent) + 1]


# Group edges by parent: for every module P, edges between its children.
parents = {m[:-1] for m in modules if m}
found = False
unexpected = False
for parent in sorted(parents):
    g = defaultdict(lambda: defaultdict(set))
    for (a, b), where in edges.items():
        la, lb = lift(a, parent), lift(b, parent)
        if la and lb and la != lb:
            g[la][lb] |= where
    pairs = []
    for a in g:
        for b in g[a]:
            if a < b and a in g.get(b, {}):
                pairs.append((a, b))
    # SCCs (Tarjan) for cycles longer than two.
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, {}):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    for v in list(g):
        if v not in index:
            strong(v)
    if pairs or sccs:
        found = True
        print(f"under {name(parent)}:")
        for a, b in pairs:
            known = frozenset((name(a), name(b))) in allowed
            unexpected |= not known
            print(f"  2-cycle {name(a)} <-> {name(b)}" + (" (allowed)" if known else ""))
            print(f"    {name(a)} -> {name(b)}: {', '.join(sorted(g[a][b]))}")
            print(f"    {name(b)} -> {name(a)}: {', '.join(sorted(g[b][a]))}")
        for comp in sccs:
            if len(comp) > 2:
                unexpected = True
                print(f"  cycle among {{{', '.join(name(c) for c in comp)}}}")
if not found:
    print("no cycles")
if show_edges:
    for (a, b), where in sorted(edges.items()):
        print(f"{name(a)} -> {name(b)}  ({', '.join(sorted(where))})")
sys.exit(1 if unexpected else 0)
