"""Library functions called from their declarations (cffi's ABI mode), callables passed as
function pointers, integer range checks on arguments."""

import ctypes
import math

import pytest

import cfree


def test_libc_and_libm_from_declarations():
    with cfree.Jit(libraries=["m"]) as jit:
        jit.declare("double cos(double); double ldexp(double, int); long labs(long);")
        assert jit.cos(0.0) == 1.0
        assert jit.ldexp(1.5, 4) == 24.0
        assert jit.labs(-(2**40)) == 2**40
        assert jit.function_type("cos") == "double (double)"
        jit.declare("#include <string.h>")
        assert jit.strlen(b"hello") == 5
        buf = ctypes.create_string_buffer(8)
        jit.strcpy(buf, b"abc")
        assert buf.value == b"abc"
        assert jit.cos.address == jit.resolve("cos")


def test_library_struct_results_from_declarations():
    with cfree.Jit() as jit:
        jit.declare("#include <stdlib.h>")  # div_t div(int, int): a struct by value
        r = jit.div(17, 5)
        assert (r.quot, r.rem) == (3, 2)
        assert jit.type("div_t") is type(r)


def test_declare_refuses_definitions_and_keeps_the_jit():
    with cfree.Jit() as jit:
        with pytest.raises(cfree.CompileError, match="defined"):
            jit.declare("int f(void) { return 1; }")
        with pytest.raises(cfree.CompileError):
            jit.declare("double cos(double")
        with pytest.raises(AttributeError):
            jit.f
        jit.declare("int abs(int);")
        assert jit.abs(-3) == 3


def test_python_callables_as_function_pointers():
    with cfree.Jit() as jit:
        jit.add_source(r"""
            #include <stdlib.h>
            int apply(int (*f)(int, int), int a, int b) { return f(a, b); }
            static void (*saved)(int);
            void keep(void (*f)(int)) { saved = f; }
            void fire(int v) { if (saved) saved(v); }
        """)
        assert jit.apply(lambda a, b: a * b, 6, 7) == 42
        assert jit.apply(max, 3, 9) == 9
        seen = []
        jit.keep(seen.append)  # C keeps the pointer: the callback stays alive
        import gc

        gc.collect()
        jit.fire(5)
        jit.fire(6)
        assert seen == [5, 6]

        def boom(a, b):
            raise KeyError("from callback")

        with pytest.raises(KeyError, match="from callback"):
            jit.apply(boom, 1, 2)
        # libc's qsort with a Python comparator, typed from <stdlib.h>
        jit.declare("#include <stdlib.h>")
        arr = (ctypes.c_int * 5)(5, 1, 4, 2, 3)
        cmp = lambda a, b: ctypes.c_int.from_address(a).value - ctypes.c_int.from_address(b).value
        jit.qsort(arr, 5, ctypes.sizeof(ctypes.c_int), cmp)
        assert list(arr) == [1, 2, 3, 4, 5]


def test_integer_arguments_out_of_range_raise_overflow():
    with cfree.Jit() as jit:
        jit.add_source(r"""
            int add(int a, int b) { return a + b; }
            unsigned uadd(unsigned a, unsigned b) { return a + b; }
            signed char sc(signed char c) { return c; }
            unsigned long long ull(unsigned long long v) { return v; }
        """)
        assert jit.add(2**31 - 1, 0) == 2**31 - 1
        assert jit.add(-(2**31), 0) == -(2**31)
        with pytest.raises(OverflowError):
            jit.add(2**40, 1)
        with pytest.raises(OverflowError):
            jit.add(2**31, 0)
        with pytest.raises(OverflowError):
            jit.add(-(2**31) - 1, 0)
        assert jit.uadd(2**32 - 1, 0) == 2**32 - 1
        with pytest.raises(OverflowError):
            jit.uadd(-1, 0)
        with pytest.raises(OverflowError):
            jit.uadd(2**32, 0)
        with pytest.raises(OverflowError):
            jit.sc(128)
        assert jit.ull(2**64 - 1) == 2**64 - 1
        with pytest.raises(OverflowError):
            jit.ull(2**64)
        with pytest.raises(ctypes.ArgumentError):
            jit.add("1", 2)  # a wrong type is still ctypes' error
