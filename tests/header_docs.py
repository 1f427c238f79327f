#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every exported function is documented in its header (tests/meson.build: header-docs).

STYLE.md: the header is the contract. For every function defined without `static` in src/,
parsers/ and reports/, a prototype must stand in a header (include/lc/*.h, or a private header
beside the .c files: src/cli/*.h, src/core/*.h, parsers/*.h) with a comment right above it: the
line before the prototype ends a comment. A comment over a group of prototypes does not count
for the ones below the first; each says what it does, what it returns and who owns what.
Usage: header_docs.py SOURCE_ROOT
"""
import os
import re
import sys

SOURCES = ["src", "parsers", "reports"]
# A definition at file scope: the line opens at column 0 with a type and the name, the
# parameters close and a body opens; declarations end in ';' instead.
DEF = re.compile(r"^(?!static\b|[A-Z_]*(?:INLINE|STATIC)\b|typedef\b|struct\s+\w+\s*\{|extern\b)[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*\(([^;{}()]|\([^;{}()]*\))*\)\s*(__attribute__\s*\(\(.*?\)\)\s*)?\{",
                 re.M | re.S)


TOKENS = re.compile(r'/\*.*?(\*/|\Z)|//[^\n]*|"(\\.|[^"\\\n])*"?|\'(\\.|[^\'\\\n])*\'?', re.S)


def strip_comments(text):
    """Blanks comments and the insides of string and character literals, keeping line breaks."""
    def blank(m):
        t = m.group(0)
        if t[0] in "\"'":
            return t[0] + " " * (len(t) - 1)
        return re.sub(r"[^\n]", " ", t)
    return TOKENS.sub(blank, text)


def definitions(root):
    """(name, file, line) of every function defined without static in the source folders."""
    found = []
    for top in SOURCES:
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if not name.endswith(".c"):
                    continue
                path = os.path.join(dirpath, name)
                text = strip_comments(open(path, encoding="utf-8").read())
                for m in DEF.finditer(text):
                    if m.group(1) in ("main", "if", "while", "for", "switch", "return"):
                        continue
                    found.append((m.group(1), os.path.relpath(path, root), text.count("\n", 0, m.start()) + 1))
    return found


def headers(root):
    hs = [os.path.join(root, "include/lc", n) for n in sorted(os.listdir(os.path.join(root, "include/lc")))]
    for top in SOURCES:
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            hs += [os.path.join(dirpath, n) for n in sorted(names) if n.endswith(".h")]
    return [h for h in hs if h.endswith(".h")]


def prototypes(root):
    """name -> (header, line, documented) for every prototype at column 0 of a header."""
    protos = {}
    for h in headers(root):
        raw = open(h, encoding="utf-8").read()
        lines = raw.split("\n")
        text = strip_comments(raw)
        # A prototype: at column 0, a type, the name and '(' ... ');' with no body.
        for m in re.finditer(r"^(?!static\b|typedef\b|#)[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*\(([^;{}()]|\([^;{}()]*\))*\)[^;{}()]*(\([^;{}]*\)[^;{}]*)?;",
                             text, re.M | re.S):
            line = text.count("\n", 0, m.start()) + 1
            above = lines[line - 2].rstrip() if line >= 2 else ""
            documented = above.endswith("*/") or above.lstrip().startswith("//")
            protos.setdefault(m.group(1), (os.path.relpath(h, root), line, documented))
    return protos


def check(root, quiet=False):
    """Returns (undocumented names, exported functions found), printing each failure."""
    protos = prototypes(root)
    bad = []
    defs = definitions(root)
    for name, path, line in defs:
        p = protos.get(name)
        if p is None:
            msg = f"{path}:{line}: {name} is not static and has no prototype in a header"
        elif not p[2]:
            msg = f"{p[0]}:{p[1]}: {name} (defined in {path}:{line}) has no comment right above it"
        else:
            continue
        bad.append(name)
        if not quiet:
            print("FAIL: " + msg)
    return bad, defs


# The checker on a tree of its own first, so that it cannot pass by finding nothing.
SELF_TEST = {
    "include/lc/a.h": "/* Does a. */\nint lc_a(int x);\nint lc_b(void);\n\n/*\n * Does c.\n */\nchar *lc_c(const char *s,\n\t   int n);\n"
                      "// Does d.\nvoid lc_d(void) __attribute__((noreturn));\n#define lc_e(x) (x)\n",
    "src/base/a.c": "// SPDX\nint lc_a(int x)\n{\n\treturn x;\n}\n\nint lc_b(void) { return 0; }\n"
                    "static int hidden(void)\n{\n\treturn 1;\n}\n\nchar *lc_c(const char *s, int n)\n{\n\t"
                    "if (n) {\n\t\treturn 0;\n\t}\n\treturn (char *)s; /* lc_f(void) { */\n}\n"
                    "void lc_d(void)\n{\n\tfor (;;)\n\t\t;\n}\nLC_SCAN_INLINE int scan(void)\n{\n\treturn 0;\n}\n"
                    "const char *lc_g(void)\n{\n\treturn \"{\";\n}\n",
}


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        for rel, text in SELF_TEST.items():
            os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
            open(os.path.join(d, rel), "w", encoding="utf-8").write(text)
        for top in SOURCES:
            os.makedirs(os.path.join(d, top), exist_ok=True)
        bad, defs = check(d, quiet=True)
        found = sorted(n for n, _, _ in defs)
        if found != ["lc_a", "lc_b", "lc_c", "lc_d", "lc_g"] or sorted(bad) != ["lc_b", "lc_g"]:
            print(f"FAIL: self-test: found {found}, undocumented {sorted(bad)}; "
                  "want lc_a lc_b lc_c lc_d lc_g, undocumented lc_b lc_g")
            return False
    return True


def main():
    root = sys.argv[1]
    if not self_test():
        return 1
    bad, defs = check(root)
    if len(defs) < 50:
        print(f"FAIL: only {len(defs)} exported functions found: the scanner is broken")
        return 1
    if bad:
        print(f"{len(bad)} of {len(defs)} exported functions undocumented")
        return 1
    print(f"ok: {len(defs)} exported functions, each with a comment above its prototype")
    return 0


if __name__ == "__main__":
    sys.exit(main())
