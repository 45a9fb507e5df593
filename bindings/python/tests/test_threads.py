"""One Jit used from several Python threads; the GIL released during C calls."""

import ctypes
import threading
import time

import pytest

import cfree
from cfree import _lib


def run_threads(target, n):
    errors = []

    def wrapped(i):
        try:
            target(i)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def test_library_is_cdll_not_pydll():
    # CDLL releases the GIL around every call; PyDLL (a CDLL subclass) would not.
    assert type(_lib.lib) is ctypes.CDLL


def test_many_threads_share_one_jit(jit):
    jit.add_source("int base(int x) { return x; }")

    def worker(i):
        for k in range(15):
            name = "t%d_%d" % (i, k)
            jit.add_source("int %s(int x) { return x + %d; }" % (name, i * 1000 + k), filename=name + ".c")
            assert jit[name](1) == 1 + i * 1000 + k
            # each thread gets its own error message, not another thread's
            with pytest.raises(cfree.CompileError) as e:
                jit.add_source("int bad_%s( {" % name, filename="bad_%s.c" % name)
            assert ("bad_%s.c:1:" % name) in str(e.value)
            with pytest.raises(cfree.LinkError) as e:
                jit.add_source("int u_%s(void); int w_%s(void) { return u_%s(); }" % (name, name, name))
            assert ("u_%s" % name) in str(e.value)
            assert jit.lookup("missing_" + name) is None
            assert jit.function_type(name) == "int (int)"
            assert jit.base(k) == k

    run_threads(worker, 4)
    assert jit.generation == 1 + 4 * 15
    assert sum(1 for s in jit.symbols() if s.name.startswith("t")) == 4 * 15


def test_concurrent_calls(jit):
    jit.add_source(
        "long collatz_steps(long n) { long s = 0; while (n != 1) { n = n % 2 ? 3 * n + 1 : n / 2; s++; } return s; }"
    )

    def steps(n):
        s = 0
        while n != 1:
            n = 3 * n + 1 if n % 2 else n // 2
            s += 1
        return s

    f = jit.collatz_steps

    def worker(i):
        for n in range(1 + i * 500, 1 + (i + 1) * 500):
            assert f(n) == steps(n)

    run_threads(worker, 4)


def busy_fraction_during(call):
    """The fraction of `call`'s duration (run on another thread) during which this thread
    could run Python code: near 1 when the call releases the GIL, near 0 when it holds it
    (only the interpreter's 5 ms switch interval would let this thread run)."""
    # this thread's counting speed
    count, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 0.05:
        count += 1
    rate = count / (time.perf_counter() - t0)

    started = threading.Event()
    done = threading.Event()

    def runner():
        started.set()
        try:
            call()
        finally:
            done.set()

    t = threading.Thread(target=runner)
    t0 = time.perf_counter()
    t.start()
    started.wait()
    count = 0
    while not done.is_set():
        count += 1
        time.perf_counter()  # the same work per iteration as while measuring the rate
    elapsed = time.perf_counter() - t0
    t.join()
    return count / (rate * elapsed)


def test_gil_released_during_jit_calls(jit):
    jit.add_source("#include <unistd.h>\nvoid nap(unsigned us) { usleep(us); }")
    assert busy_fraction_during(lambda: jit.nap(300_000)) > 0.25


def test_gil_released_during_compile(jit):
    n = 2500
    src = "\n".join(
        "int g%d(int x) { int y = x * %d; if (y > 3) y -= 2; return y + %d; }" % (i, i, i)
        for i in range(n)
    )
    frac = busy_fraction_during(lambda: jit.add_source(src, filename="big.c"))
    assert jit["g%d" % (n - 1)](1) == 2 * (n - 1) - 2
    assert frac > 0.25
