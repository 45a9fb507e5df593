"""Jit(lazy=True): functions of add_source compile on their first call, from any thread."""

import threading

import cfree


SOURCE = r"""
static long calls;
static long fib(int n) { calls++; return n < 2 ? n : fib(n - 1) + fib(n - 2); }
long fib_of(int n) { return fib(n); }
long never_called(long x) { return x + 1; }
double mean(double a, double b) { return (a + b) / 2; }
long call_count(void) { return calls; }
"""


def lazy_bodies(jit):
    return [s for s in jit.symbols() if s.name.startswith("__cfree_lazy_body.")]


def test_functions_compile_on_first_call():
    with cfree.Jit(lazy=True) as jit:
        jit.add_source(SOURCE)
        assert lazy_bodies(jit) == []
        assert jit.fib_of(20) == 6765
        assert jit.mean(1.0, 2.0) == 1.5
        assert jit.call_count() == 21891
        names = len(lazy_bodies(jit))
        assert names == 4  # fib_of, fib, mean, call_count; never_called is not compiled


def test_first_calls_from_many_threads_compile_once():
    with cfree.Jit(lazy=True) as jit:
        jit.add_source(SOURCE)
        fib_of = jit.function("fib_of")
        results = [None] * 8
        barrier = threading.Barrier(8)

        def worker(i):
            barrier.wait()
            results[i] = fib_of(18)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [2584] * 8
        assert len(lazy_bodies(jit)) == 2  # fib_of and fib, once each
