"""The fuzz test's oracle: CPython's compiler and pyflakes judge each variant before and after fixing.

Usage: python3 oracle.py ORIGINAL_DIR FIXED_DIR [FIXED_DIR...] < names.txt
Prints one JSON object: for every fixed directory, the files that compiled before and not after,
the files with undefined names the original did not have, and the files with mixed line endings.
"""
import ast
import json
import os
import sys

from pyflakes import checker, messages


def compiles(data):
    try:
        compile(data, "<variant>", "exec", dont_inherit=True)
        return None
    except (SyntaxError, ValueError) as e:
        return f"{type(e).__name__}: {e}"


def undefined(data):
    tree = ast.parse(data)
    found = checker.Checker(tree, filename="<variant>").messages
    return {m.message_args[0] for m in found if isinstance(m, messages.UndefinedName)}


def endings(data):
    crlf = data.count(b"\r\n")
    return {"crlf": crlf, "lf": data.count(b"\n") - crlf, "cr": data.count(b"\r") - crlf}


def mixed(data):
    return sum(1 for v in endings(data).values() if v) > 1


def main():
    original_dir, fixed_dirs = sys.argv[1], sys.argv[2:]
    names = [line.strip() for line in sys.stdin if line.strip()]
    report = {"files": len(names), "compiled": 0, "failing": [], "changed": {}, "broken": {}, "undefined": {}, "mixed": {}}
    for d in fixed_dirs:
        for key in ("changed", "broken", "undefined", "mixed"):
            report[key][d] = []
    for name in names:
        with open(os.path.join(original_dir, name), "rb") as f:
            before = f.read()
        error = compiles(before)
        if error is None:
            report["compiled"] += 1
        else:
            report["failing"].append(name)
        before_undefined = None
        for d in fixed_dirs:
            with open(os.path.join(d, name), "rb") as f:
                after = f.read()
            if after == before:
                continue
            report["changed"][d].append(name)
            if mixed(after) and not mixed(before):
                report["mixed"][d].append(name)
            if error is not None:
                continue
            after_error = compiles(after)
            if after_error is not None:
                report["broken"][d].append([name, after_error])
                continue
            if before_undefined is None:
                before_undefined = undefined(before)
            new = sorted(undefined(after) - before_undefined)
            if new:
                report["undefined"][d].append([name, new])
    json.dump(report, sys.stdout)


main()
