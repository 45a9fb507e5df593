"""The Jit object: options, lifetime, lookup, attribute and item access, symbols, generation."""

import ctypes
import gc
import math

import pytest

import cfree


def test_add_source_and_call(jit):
    jit.add_source("int add(int a, int b) { return a + b; }", filename="add.c")
    assert jit.add(2, 3) == 5
    assert jit["add"](40, 2) == 42
    assert jit.function("add")(-1, 1) == 0
    assert jit.add is jit.function("add")  # cached: attribute access is a plain read after
    assert "add" in jit.__dict__


def test_bytes_source(jit):
    jit.add_source(b"long twice(long x) { return 2 * x; }", filename=b"b.c")
    assert jit.twice(2**40) == 2**41


def test_lookup(jit):
    jit.add_source("int f(void) { return 1; } long table[10];")
    f = jit.lookup("f")
    assert isinstance(f, int) and f != 0
    assert jit.lookup("table") not in (None, f)
    assert jit.lookup("missing") is None
    assert "f" in jit and "table" in jit and "missing" not in jit
    # the address is really the function
    assert ctypes.CFUNCTYPE(ctypes.c_int)(f)() == 1


def test_missing_names(jit):
    with pytest.raises(AttributeError):
        jit.missing
    assert getattr(jit, "missing", None) is None
    assert not hasattr(jit, "missing")
    with pytest.raises(KeyError):
        jit["missing"]
    with pytest.raises(cfree.SymbolNotFoundError) as e:
        jit.function("missing")
    assert isinstance(e.value, cfree.LinkError)
    assert "missing" in str(e.value)
    with pytest.raises(AttributeError):
        jit._private  # underscore names are never looked up in the image
    with pytest.raises(AttributeError):
        jit.__array__


def test_attribute_access_does_not_shadow_methods(jit):
    jit.add_source(
        "int close(void) { return 7; } int lookup(int x) { return x; }"
        " int generation(void) { return 99; } int _hidden(void) { return 3; }"
    )
    assert callable(jit.close) and jit.close.__self__ is jit  # still the method
    assert jit["close"]() == 7
    assert jit["lookup"](5) == 5
    assert jit.generation == 1  # still the property
    assert jit["generation"]() == 99
    assert jit["_hidden"]() == 3


def test_data_symbol_needs_a_declaration(jit):
    jit.add_source("int counter = 5;")
    with pytest.raises(TypeError, match="declaration"):
        jit.function("counter")
    assert ctypes.c_int.from_address(jit.lookup("counter")).value == 5


def test_function_with_declaration(jit):
    # A host symbol cfree did not compile: typed from a declaration.
    libc_abs = ctypes.cast(ctypes.CDLL(None).labs, ctypes.c_void_p).value
    jit.add_symbol("host_abs", libc_abs)
    jit.add_source("long host_abs(long); long uses(long x) { return host_abs(x); }")
    assert jit.uses(-(2**40)) == 2**40
    assert jit.function_type("host_abs") is None
    assert jit.declaration_type("long host_abs(long)") == ("host_abs", "long (long)")


def test_generation(jit):
    assert jit.generation == 0
    jit.add_source("int a(void) { return 1; }")
    assert jit.generation == 1
    jit.add_source("int b(void) { return 2; }")
    assert jit.generation == 2
    with pytest.raises(cfree.CompileError):
        jit.add_source("int c(void) { return }")
    assert jit.generation == 2


def test_appended_code_calls_earlier_code(jit):
    jit.add_source("long s0(void) { return 0; }")
    for i in range(1, 40):
        jit.add_source("long s%d(void); long s%d(void) { return s%d() + %d; }" % (i - 1, i, i - 1, i))
    assert jit["s39"]() == sum(range(40))
    assert jit.generation == 40


def test_symbols(jit):
    jit.add_source("int f1(int x) { return x; } double f2(void) { return 1; } long table[10];")
    syms = {s.name: s for s in jit.symbols()}
    assert {"f1", "f2", "table"} <= set(syms)
    for name in ("f1", "f2", "table"):
        assert syms[name].address == jit.lookup(name)
    assert syms["f1"].is_function and syms["f2"].is_function
    assert not syms["table"].is_function
    assert syms["table"].size == 10 * ctypes.sizeof(ctypes.c_long)
    assert syms["f1"].size > 0
    assert isinstance(jit.symbols()[0], cfree.Symbol)


def test_addr_to_sym(jit):
    jit.add_source("int f1(int x) { return x + 1; } int f2(int x) { return x + 2; }")
    assert jit.addr_to_sym(jit.lookup("f1")) == ("f1", 0)
    assert jit.addr_to_sym(jit.lookup("f2") + 3) == ("f2", 3)
    assert jit.addr_to_sym(jit.f1) == ("f1", 0)
    assert jit.addr_to_sym(8) is None


def test_view_is_elf(jit):
    jit.add_source("int f(void) { return 1; }")
    elf = jit.view()
    assert elf[:4] == b"\x7fELF"
    assert b"f" in elf


def test_context_manager_closes():
    with cfree.Jit() as j:
        j.add_source("int one(void) { return 1; }")
        one = j.one
        assert one() == 1
        assert not j.closed
    assert j.closed
    assert "closed" in repr(j)
    with pytest.raises(cfree.ClosedError):
        j.lookup("one")
    with pytest.raises(cfree.ClosedError):
        j.add_source("int two(void) { return 2; }")
    with pytest.raises(cfree.ClosedError):
        j.one  # the cached attribute went away with the image
    with pytest.raises(cfree.ClosedError):
        one()  # a function object of a closed Jit raises instead of crashing
    with pytest.raises(cfree.ClosedError):
        with j:
            pass
    j.close()  # idempotent


def test_close_and_exception_inside_with():
    with pytest.raises(ZeroDivisionError):
        with cfree.Jit() as j:
            1 / 0
    assert j.closed


def test_function_keeps_its_jit_alive():
    def make():
        j = cfree.Jit()
        j.add_source("int sq(int x) { return x * x; }")
        return j.sq

    sq = make()
    gc.collect()
    assert sq(9) == 81
    assert sq.jit.generation == 1
    del sq
    gc.collect()  # the Jit is closed by the collector now


def test_options_defines_and_includes(tmp_path):
    (tmp_path / "consts.h").write_text("#define BASE 1000\n")
    with cfree.Jit(include_dirs=[tmp_path], defines={"N": 7, "FLAG": None}) as j:
        j.add_source(
            '#include "consts.h"\n'
            "int n(void) { return BASE + N; }\n"
            "#ifdef FLAG\nint flag(void) { return 1; }\n#endif\n"
        )
        assert j.n() == 1007 and j.flag() == 1
    with cfree.Jit(defines=["N=3", "M"]) as j:
        j.add_source("int n(void) { return N; }\n#ifdef M\nint m(void) { return 2; }\n#endif")
        assert j.n() == 3 and j.m() == 2


def test_options_libraries_and_opt_level():
    for opt in (0, 2):
        with cfree.Jit(libraries=["m"], opt_level=opt, debug=True) as j:
            j.add_source("#include <math.h>\ndouble f(double x) { return cos(x) + sqrt(x); }")
            assert j.f(2.0) == pytest.approx(math.cos(2.0) + math.sqrt(2.0), rel=1e-15)


def test_reloadable_property():
    with cfree.Jit(reloadable=True) as j:
        assert j.reloadable
    with cfree.Jit() as j:
        assert not j.reloadable


def test_compile_warnings_are_python_warnings(jit):
    with pytest.warns(cfree.CompileWarning, match=r"w\.c:1:\d+: warning"):
        jit.add_source("int f(int x) { return x / 0; }", filename="w.c")


def test_version_and_library():
    assert cfree.__version__
    assert cfree.library_path().endswith(".so")


def test_jit_cannot_be_copied(jit):
    import copy
    import pickle

    with pytest.raises(TypeError):
        copy.copy(jit)
    with pytest.raises(TypeError):
        pickle.dumps(jit)


def test_close_disarms_every_function_object_handed_out():
    j = cfree.Jit(reloadable=True)
    j.add_source("long k(long x) { return x; } double v(int n, ...) { return n; }")
    kept = []
    for i in range(300):  # many objects: reloads drop the cache, so each function() is new
        j.reload("k", "long k(long x) { return x + %d; }" % i)
        f = j.function("k")
        assert f(1) == 1 + i
        if i % 50 == 0:
            kept.append(f)
    kept.append(j.v)
    for f in kept[:-1]:
        assert f(0) == 299  # every kept object runs the newest body: x + 299
    j.close()
    for f in kept:
        with pytest.raises(cfree.ClosedError):
            f(1)
