"""Hot reload through the binding: stable addresses, new behaviour, running callers."""

import ctypes
import threading
import time

import pytest

import cfree


def test_reload_changes_behaviour_keeps_address(rjit):
    rjit.add_source("int scale(int x) { return x * 2; }", filename="k.c")
    entry = rjit.lookup("scale")
    held = rjit.scale  # a function object taken before the reload
    raw = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int)(entry)  # and a raw pointer
    assert held(3) == 6
    gen = rjit.generation
    rjit.reload("scale", "int scale(int x) { return x * 100; }", filename="k2.c")
    assert rjit.generation == gen + 1
    assert rjit.lookup("scale") == entry
    assert rjit.scale(3) == 300
    assert held(3) == 300 and raw(3) == 300
    assert rjit.addr_to_sym(entry)[0] == "scale"


def test_callers_in_the_image_see_the_new_body(rjit):
    rjit.add_source(
        "int step(int x) { return x + 1; }\n"
        "int (*fp)(int) = step;\n"
        "int twice(int x) { return step(step(x)); }\n"
        "int via_fp(int x) { return fp(x); }"
    )
    assert (rjit.twice(0), rjit.via_fp(0)) == (2, 1)
    rjit.reload("step", "static int k(void) { return 10; } int step(int x) { return x + k(); }")
    assert (rjit.twice(0), rjit.via_fp(0)) == (20, 10)


def test_reload_refetches_the_type(rjit):
    # int and unsigned int have the same calling convention: the reload is accepted, and the
    # binding must convert results as the new type says.
    rjit.add_source("int val(int x) { return -x; }")
    assert rjit.val(1) == -1
    assert rjit["val"](1) == -1
    rjit.reload("val", "unsigned int val(int x) { return -x; }")
    assert rjit.function_type("val") == "unsigned int (int)"
    assert rjit.val(1) == 2**32 - 1
    assert rjit["val"](1) == 2**32 - 1


def test_reload_many_times(rjit):
    rjit.add_source("long k(long x) { return x; }")
    k = rjit.k
    for i in range(1, 60):
        rjit.reload("k", "long k(long x) { return x * %d + %d; }" % (i, i))
        assert k(1000) == 1000 * i + i
    assert rjit.generation == 60


def test_reload_while_a_thread_keeps_calling(rjit):
    rjit.add_source("int kernel(int x) { return x + 1; }", filename="kernel.c")
    entry = rjit.lookup("kernel")
    kernel = rjit.kernel
    latest = [None]
    seen = set()
    calls = [0]
    stop = threading.Event()
    errors = []

    def loop():
        try:
            while not stop.is_set():
                v = kernel(10)
                latest[0] = v
                seen.add(v)
                calls[0] += 1
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    t = threading.Thread(target=loop)
    t.start()
    try:
        factors = list(range(2, 12))
        for k in factors:
            rjit.reload("kernel", "int kernel(int x) { return x * %d; }" % k, filename="k%d.c" % k)
            assert rjit.lookup("kernel") == entry
            assert rjit.kernel(10) == 10 * k
            deadline = time.monotonic() + 10
            while latest[0] != 10 * k and time.monotonic() < deadline:
                time.sleep(0.001)  # until the looping thread has run the new body
            assert latest[0] == 10 * k
    finally:
        stop.set()
        t.join()
    assert not errors
    assert calls[0] > len(factors)
    # every result came from some complete body: old (x + 1) or one of the new ones
    assert seen <= {11} | {10 * k for k in factors}
    assert {10 * k for k in factors} <= seen


def test_reload_not_reloadable_jit_keeps_working(jit):
    jit.add_source("int f(void) { return 1; }")
    with pytest.raises(cfree.ReloadError):
        jit.reload("f", "int f(void) { return 2; }")
    assert jit.f() == 1


def test_unchecked_abi(rjit):
    rjit.add_source("int f(int x) { return x; }")
    rjit.reload("f", "int f(int x) { return x * 7; }", unchecked_abi=True)
    assert rjit.f(3) == 21
