#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Determinism: the same inputs give byte-identical reports across two runs, --threads 1 and
--threads 2, LC_ALL=C / C.UTF-8 / de_DE.UTF-8 (decimal comma: a %g figure printed through the
locale would change), TZ=UTC / Asia/Kolkata, and stdout vs -o FILE; for -f json, text, junit,
folded, gitlab and github. The one thing a locale may change is documented: the text report's
sparklines are Unicode blocks when the codeset is UTF-8 and ASCII otherwise, so text runs under
a UTF-8 locale are held against a C.UTF-8 baseline, and the two baselines may differ only in
the sparkline rows.

Usage: determinism.py TOOL SOURCE_ROOT

de_DE.UTF-8: used when `locale -a` lists it; otherwise built with localedef into a private
directory (LOCPATH, nothing installed); skipped with a note when neither works.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import finish, load_json, run, tool_argv  # noqa: E402

FORMATS = ["json", "text", "junit", "folded", "gitlab", "github"]


def find_locale(tmp, notes):
    """(LC_ALL value, extra env) for a German UTF-8 locale, or None."""
    try:
        have = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.split()
    except OSError:
        have = []
    for name in have:
        if name.lower().replace("-", "") in ("de_de.utf8",):
            return name, {}
    if shutil.which("localedef"):
        locdir = os.path.join(tmp, "locales")
        os.mkdir(locdir)
        p = subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8", os.path.join(locdir, "de_DE.UTF-8")],
                           capture_output=True, text=True)
        if p.returncode in (0, 1) and os.path.isdir(os.path.join(locdir, "de_DE.UTF-8")):
            # check that it really gives a decimal comma
            chk = subprocess.run([sys.executable, "-c", "import locale; locale.setlocale(locale.LC_ALL, ''); "
                                  "print(locale.format_string('%g', 0.5))"],
                                 capture_output=True, text=True,
                                 env=dict(os.environ, LOCPATH=locdir, LC_ALL="de_DE.UTF-8"))
            if chk.stdout.strip() == "0,5":
                notes.append("de_DE.UTF-8 not installed: built with localedef into a private LOCPATH")
                return "de_DE.UTF-8", {"LOCPATH": locdir}
    notes.append("SKIP de_DE.UTF-8: not installed and localedef could not build it")
    return None


def input_sets(root, tmp):
    hand = os.path.join(root, "testdata", "hand")
    hdbg = os.path.join(root, "testdata", "hand_debug")
    gen = os.path.join(tmp, "gen")
    p = subprocess.run([sys.executable, os.path.join(root, "tests", "gen", "leakgen.py"), "--seed", "5", "--out", gen,
                        "--lines", "8000", "--version", "mix", "--restarts", "2", "--gzip", "--gzip-members", "3",
                        "--debug-log", "--mojibake", "mix", "--noise", "0.02", "--malformed", "0.005",
                        "--alter-checkpoints", "2"],
                       capture_output=True, text=True)
    sets = {
        "hand-server": [os.path.join(hand, f) for f in ("v4_cleanup.log", "dump_twice.log", "reuse_table.log",
                                                        "checkpoints.log")],
        "hand-edited": [os.path.join(hand, "hand_edited.log")],
        "hand-mojibake": [os.path.join(hand, "mojibake_macroman.log"), os.path.join(hand, "mojibake_cp1252.log")],
        "hand-debug": [os.path.join(hdbg, f) for f in ("interleaved.log", "frame_shapes.log", "type_vocab.log")],
        "hand-join": [os.path.join(hdbg, "join_owning_server.log"), os.path.join(hdbg, "join_owning_debug.log")],
    }
    if p.returncode == 0 and os.path.exists(gen + ".log.gz"):
        sets["leakgen-gz"] = [gen + ".log.gz"]
        sets["leakgen-join"] = [gen + ".log.gz", gen + ".debug.log.gz"]
    else:
        sets["leakgen-gz"] = None
        print("leakgen.py failed:", p.stderr[-500:])
    return sets


def main():
    tool, root = sys.argv[1], os.path.abspath(sys.argv[2])
    fails, notes = [], []
    with tempfile.TemporaryDirectory(prefix="lc-determinism-") as tmp:
        base_env = {k: v for k, v in os.environ.items()
                    if not k.startswith("LC_") or k in ("LC_TOOL_WRAPPER", "LC_SANITIZED")}
        base_env.pop("LANG", None)
        base_env.pop("LANGUAGE", None)
        base_env.pop("GITHUB_STEP_SUMMARY", None)
        base_env.pop("TZ", None)
        envs = {
            "C/UTC": dict(LC_ALL="C", TZ="UTC"),
            "C.UTF-8/UTC": dict(LC_ALL="C.UTF-8", TZ="UTC"),
            "C/Kolkata": dict(LC_ALL="C", TZ="Asia/Kolkata"),
            "LANG-only": dict(LANG="C.UTF-8", TZ="UTC"),
        }
        de = find_locale(tmp, notes)
        if de:
            envs["de_DE/UTC"] = dict(LC_ALL=de[0], TZ="UTC", **de[1])
            envs["de_DE/Kolkata"] = dict(LC_ALL=de[0], TZ="Asia/Kolkata", **de[1])
            envs["LANG=de_DE"] = dict(LANG=de[0], TZ="Asia/Kolkata", **de[1])
        sets = input_sets(root, tmp)
        for sname, inputs in sets.items():
            if inputs is None:
                fails.append(f"{sname}: could not generate the input")
                continue
            has_debug = sname in ("hand-debug", "hand-join", "leakgen-join")
            for fmt in FORMATS:
                if fmt == "folded" and not has_debug:
                    continue  # folded needs a buffer debug log
                argv = tool_argv(tool) + ["-f", fmt]

                def once(threads, env_name, extra=()):
                    env = dict(base_env, **envs[env_name])
                    return run(argv + ["--threads", str(threads)] + list(extra) + inputs, env=env, cwd=tmp,
                               timeout=300)

                base = once(1, "C/UTC")
                label = f"{sname} -f {fmt}"
                if base.rc not in (0, 1) or (not base.out and fmt != "github"):  # github: no leak, no line
                    fails.append(f"{label}: baseline run: {base.describe()}, {len(base.out)} bytes; "
                                 f"stderr {base.err_text[-300:]!r}")
                    continue
                variants = [("second run", once(1, "C/UTC")), ("--threads 2", once(2, "C/UTC"))]
                for env_name in envs:
                    if env_name != "C/UTC":
                        variants.append((env_name, once(1, env_name)))
                        variants.append((env_name + " --threads 2", once(2, env_name)))
                outp = os.path.join(tmp, "report.out")
                r = once(2, "C/UTC", ["-o", outp])
                try:
                    with open(outp, "rb") as f:
                        variants.append(("-o FILE", type(r)(r.rc, f.read(), r.err, None)))
                    os.unlink(outp)
                except OSError as e:
                    fails.append(f"{label}: -o FILE: no report written: {e}")
                # --threads 2 again and again: a race between the reading, parsing and replay threads
                # would show as a difference sooner or later
                repeats = 12 if sname.startswith("leakgen") else 3
                for k in range(repeats):
                    variants.append((f"--threads 2, repeat {k + 1}", once(2, "C/UTC")))
                base_utf8 = base
                if fmt == "text":
                    base_utf8 = once(1, "C.UTF-8/UTC")
                    la, lb = base.out.split(b"\n"), base_utf8.out.split(b"\n")
                    odd = [k for k in range(min(len(la), len(lb))) if la[k] != lb[k]
                           and not re.match(rb"^  (all|device -?\d+) +\S", la[k])]
                    if len(la) != len(lb) or odd:
                        fails.append(f"{label}: C and C.UTF-8 differ beyond the sparkline rows: "
                                     f"{len(la)} vs {len(lb)} lines, first other line {odd[:1]}")
                for vname, r in variants:
                    utf8_env = "C/" not in vname and vname not in ("second run", "--threads 2", "-o FILE") \
                        and not vname.startswith("--threads 2, repeat")
                    if fmt == "text" and utf8_env:
                        base_for = base_utf8
                    else:
                        base_for = base
                    if r.rc != base.rc:
                        fails.append(f"{label}: {vname}: exit {r.rc}, baseline {base.rc}")
                    if r.out != base_for.out:
                        a, b = base_for.out, r.out
                        i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
                        fails.append(f"{label}: {vname}: report differs from the baseline (LC_ALL=C TZ=UTC "
                                     f"--threads 1) at byte {i}: {a[max(0, i - 60):i + 60]!r} vs "
                                     f"{b[max(0, i - 60):i + 60]!r}")
                    if r.err != base.err:
                        fails.append(f"{label}: {vname}: stderr differs: {base.err_text[-200:]!r} vs "
                                     f"{r.err_text[-200:]!r}")
                if fmt == "json" and len(inputs) == 1:
                    # the same bytes through a pipe ("-"): the same analysis, only the path differs
                    with open(inputs[0], "rb") as f:
                        r = run(argv + ["--threads", "2", "-"], stdin=f.fileno(),
                                env=dict(base_env, **envs["C/UTC"]), cwd=tmp, timeout=300)
                    a, b = load_json(base.out), load_json(r.out)
                    if a[1] or b[1]:
                        fails.append(f"{label}: stdin: {a[1] or b[1]}")
                    else:
                        b[0]["inputs"][0]["path"] = inputs[0]
                        if a[0] != b[0]:
                            diff = [k for k in a[0] if a[0].get(k) != b[0].get(k)]
                            fails.append(f"{label}: read from a pipe the report differs in {diff}")
                print(f"{label}: {len(variants)} variants compared ({len(base.out)} bytes)")
    return finish(fails, notes)


if __name__ == "__main__":
    sys.exit(main())
