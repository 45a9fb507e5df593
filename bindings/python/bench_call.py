"""How much does one call from Python into a small JIT function cost?

Compares calling ``int add(int, int)``:

* through the binding: ``jit.add(2, 3)`` (cached attribute) and ``f(2, 3)`` with
  ``f = jit.function("add")``;
* through the binding on a reloadable Jit (one extra indirect jump in C);
* through the binding on a Jit that has a Python callback (an ``errcheck`` per call);
* through a raw, hand-made ``ctypes.CFUNCTYPE`` on the JIT address;
* through plain ctypes into the same function compiled by ``cc -shared -fPIC`` into a regular
  shared library (``CDLL``, ``argtypes``/``restype`` set);
* a Python ``def add(a, b)`` for scale.

Each figure is the best of several ``timeit`` repeats, in nanoseconds per call.

    python3 bindings/python/bench_call.py [--number N] [--repeat R]
"""

import argparse
import ctypes
import os
import shutil
import subprocess
import sys
import tempfile
import timeit

# `python3 bindings/python/bench_call.py` puts this directory first on sys.path, where the
# package's sources sit without libcfree.so: import the installed package instead (a
# PYTHONPATH entry still works for development, with CFREE_LIBRARY).
if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]

import cfree  # noqa: E402

C_ADD = "int add(int a, int b) { return a + b; }\n"


def build_shared_library(tmp):
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        return None
    src = os.path.join(tmp, "add.c")
    lib = os.path.join(tmp, "libadd.so")
    with open(src, "w") as f:
        f.write(C_ADD)
    subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o", lib, src], check=True)
    return lib


def ns_per_call(stmt, number, repeat, env):
    times = timeit.repeat(stmt, globals=env, number=number, repeat=repeat)
    return min(times) / number * 1e9


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--number", type=int, default=200_000, help="calls per repeat")
    ap.add_argument("--repeat", type=int, default=7, help="repeats (the best is reported)")
    args = ap.parse_args(argv)

    jit = cfree.Jit()
    jit.add_source(C_ADD, filename="add.c")
    rjit = cfree.Jit(reloadable=True)
    rjit.add_source(C_ADD, filename="add.c")

    # A Jit with a Python callback: its functions carry an errcheck that re-raises the
    # callbacks' exceptions.
    cjit = cfree.Jit()
    cjit.add_symbol("unused_cb", lambda: None, "void unused_cb(void)")
    cjit.add_source(C_ADD, filename="add.c")

    raw = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int)(jit.lookup("add"))
    f = jit.function("add")
    rf = rjit.function("add")
    cf = cjit.function("add")

    def py_add(a, b):
        return a + b

    env = {"jit": jit, "f": f, "rf": rf, "cf": cf, "raw": raw, "py_add": py_add}
    cases = [
        ("binding: jit.add(2, 3)", "jit.add(2, 3)"),
        ("binding: f(2, 3), f = jit.function('add')", "f(2, 3)"),
        ("binding, reloadable Jit: f(2, 3)", "rf(2, 3)"),
        ("binding, Jit with Python callbacks: f(2, 3)", "cf(2, 3)"),
        ("raw ctypes CFUNCTYPE on the JIT address", "raw(2, 3)"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        lib_path = build_shared_library(tmp)
        if lib_path:
            so = ctypes.CDLL(lib_path)
            so.add.argtypes = (ctypes.c_int, ctypes.c_int)
            so.add.restype = ctypes.c_int
            env["so_add"] = so.add
            cases.append(("plain ctypes into cc -shared libadd.so", "so_add(2, 3)"))
        cases.append(("Python def add(a, b) (for scale)", "py_add(2, 3)"))

        for _, stmt in cases:  # all agree before anything is timed
            assert eval(stmt, env) == 5, stmt
        print(
            "ns per call, best of %d x %d calls (Python %s)"
            % (args.repeat, args.number, sys.version.split()[0])
        )
        results = {}
        for label, stmt in cases:
            results[stmt] = ns = ns_per_call(stmt, args.number, args.repeat, env)
            print("  %-45s %7.1f ns" % (label, ns))
        if "so_add(2, 3)" in results:
            ratio = results["f(2, 3)"] / results["so_add(2, 3)"]
            print("  binding call / plain ctypes call: %.2fx" % ratio)
    jit.close()
    rjit.close()
    cjit.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
