"""inspect.signature and docstrings of the generated function objects."""

import collections.abc
import inspect

import cfree


def test_signature_and_docstring():
    with cfree.Jit() as jit:
        jit.add_source(r"""
            struct point { int x, y; };
            int add(int a, int b) { return a + b; }
            double scale(struct point p, double k) { return (p.x + p.y) * k; }
            int apply(int (*fn)(int), int v) { return fn(v); }
            long vsum(int n, ...) { return n; }
            const char *name(void) { return "n"; }
            void nothing(int) {}
        """)
        sig = inspect.signature(jit.add)
        assert list(sig.parameters) == ["a", "b"]
        assert all(p.kind is inspect.Parameter.POSITIONAL_ONLY for p in sig.parameters.values())
        assert [p.annotation for p in sig.parameters.values()] == [int, int]
        assert sig.return_annotation is int
        assert str(sig) == "(a: int, b: int, /) -> int"
        assert jit.add.__doc__.startswith("int add(int a, int b);")
        assert jit.add.declaration == "int add(int a, int b)"

        s = inspect.signature(jit.scale)
        assert s.parameters["p"].annotation is jit.type("struct point")
        assert s.parameters["k"].annotation is float and s.return_annotation is float
        assert jit.scale.__doc__.startswith("double scale(struct point p, double k);")

        a = inspect.signature(jit.apply)
        assert a.parameters["fn"].annotation is collections.abc.Callable
        assert jit.apply.declaration == "int apply(int (*fn)(int), int v)"

        v = inspect.signature(jit.vsum)
        assert list(v.parameters) == ["n", "args"]
        assert v.parameters["args"].kind is inspect.Parameter.VAR_POSITIONAL
        assert inspect.signature(jit.name).return_annotation is bytes
        assert inspect.signature(jit.nothing).return_annotation is None
        assert list(inspect.signature(jit.nothing).parameters) == ["arg1"]  # unnamed in C
        help_text = jit.add.__doc__
        assert "int (int, int)" in help_text


def test_declared_functions_have_signatures():
    with cfree.Jit() as jit:
        jit.declare("double ldexp(double x, int e);")
        s = inspect.signature(jit.ldexp)
        assert [p.annotation for p in s.parameters.values()] == [float, int]
        assert s.return_annotation is float
