"""Each error kind as its exception, with the Jit unchanged and working afterwards."""

import re

import pytest

import cfree

BAD_SOURCE = "int ok(int x) { return x; }\nint broken(int x) {\n    return x +;\n}\n"


def assert_still_works(jit):
    """The image still has `base` (returns x + 1) and accepts new code."""
    assert jit.base(1) == 2
    n = jit.generation
    name = "extra_%d" % n
    jit.add_source("int %s(int x) { return x * 3; }" % name)
    assert jit[name](5) == 15
    assert jit.generation == n + 1


@pytest.fixture
def based(jit):
    jit.add_source("int base(int x) { return x + 1; }")
    return jit


def test_compile_error_location_and_caret(based):
    jit = based
    gen = jit.generation
    with pytest.raises(cfree.CompileError) as info:
        jit.add_source(BAD_SOURCE, filename="file.c")
    e = info.value
    # where the error is, computed from the source text: the ';' after '+'
    lines = BAD_SOURCE.splitlines()
    line_no = next(i for i, l in enumerate(lines) if "x +;" in l) + 1
    col = lines[line_no - 1].index("+;") + 2
    msg = str(e)
    assert "file.c:%d:%d" % (line_no, col) in msg
    assert (e.filename, e.line, e.column) == ("file.c", line_no, col)
    assert e.kind == 1 and isinstance(e, cfree.Error)
    # the source line is quoted, and a caret sits under the column
    out = msg.splitlines()
    src_idx = next(i for i, l in enumerate(out) if l.endswith(lines[line_no - 1]))
    caret = out[src_idx + 1]
    assert caret.rstrip().endswith("^")
    quoted = out[src_idx]
    assert caret.index("^") == len(quoted) - len(lines[line_no - 1]) + col - 1
    assert jit.generation == gen
    assert jit.lookup("ok") is None  # nothing of the failed source went in
    assert_still_works(jit)


def test_unresolved_symbol_is_link_error(based):
    jit = based
    gen = jit.generation
    with pytest.raises(cfree.LinkError) as info:
        jit.add_source("int nowhere_to_be_found(int); int user(int x) { return nowhere_to_be_found(x); }")
    assert "nowhere_to_be_found" in str(info.value)
    assert info.value.kind == 2
    assert jit.generation == gen
    assert jit.lookup("user") is None
    assert_still_works(jit)
    # defining the missing function first makes the same source link
    jit.add_source("int nowhere_to_be_found(int x) { return -x; }")
    jit.add_source("int nowhere_to_be_found(int); int user(int x) { return nowhere_to_be_found(x); }")
    assert jit.user(4) == -4


def test_duplicate_symbol_is_link_error(based):
    jit = based
    with pytest.raises(cfree.LinkError, match="base"):
        jit.add_source("int base(int x) { return 0; }")
    assert_still_works(jit)


def test_reload_errors():
    with cfree.Jit(reloadable=True) as jit:
        jit.add_source("int base(int x) { return x + 1; } int other(int x) { return x; } int data = 3;")
        cases = [
            ("base", "float base(int x) { return 0; }", "return"),  # ABI mismatch
            ("base", "int base(long a, long b) { return 0; }", "parameter"),
            ("base", "int base(int x) { return x; } int extra(void) { return 0; }", "extra"),
            ("base", "int counter; int base(int x) { return counter++; }", "counter"),
            ("nope", "int nope(int x) { return x; }", "nope"),
            ("data", "int data(int x) { return x; }", "data"),
        ]
        for name, src, needle in cases:
            gen = jit.generation
            with pytest.raises(cfree.ReloadError, match=needle) as info:
                jit.reload(name, src)
            assert info.value.kind == 3
            assert jit.generation == gen
            assert jit.base(1) == 2  # the old body stays active
        with pytest.raises(cfree.CompileError):
            jit.reload("base", "int base(int x) { return }")
        with pytest.raises(cfree.LinkError, match="missing_helper"):
            jit.reload("base", "int missing_helper(int); int base(int x) { return missing_helper(x); }")
        assert_still_works(jit)
        jit.reload("base", "int base(int x) { return x + 2; }")
        assert jit.base(1) == 3


def test_reload_on_plain_jit_is_reload_error(based):
    with pytest.raises(cfree.ReloadError, match="base"):
        based.reload("base", "int base(int x) { return x + 10; }")
    assert_still_works(based)


def test_invalid_arguments(based):
    jit = based
    with pytest.raises(cfree.InvalidArgumentError) as info:
        jit.add_source("int a(void) { return 0; }\0 junk")
    assert isinstance(info.value, ValueError)
    with pytest.raises(cfree.InvalidArgumentError):
        jit.lookup("a\0b")
    with pytest.raises(cfree.InvalidArgumentError):
        jit.add_symbol("", 1)  # rejected by libcfree itself
    with pytest.raises(TypeError):
        jit.add_source(12345)
    with pytest.raises(TypeError):
        jit.lookup(None)
    assert_still_works(jit)


def test_jit_error_for_missing_library():
    with pytest.raises(cfree.JitError, match="no_such_library_xyz"):
        cfree.Jit(libraries=["no_such_library_xyz"])


def test_error_hierarchy():
    for cls in (
        cfree.CompileError,
        cfree.LinkError,
        cfree.ReloadError,
        cfree.JitError,
        cfree.InvalidArgumentError,
        cfree.InternalError,
        cfree.ClosedError,
        cfree.SymbolNotFoundError,
    ):
        assert issubclass(cls, cfree.Error)
    assert issubclass(cfree.SymbolNotFoundError, KeyError)
    assert issubclass(cfree.InvalidArgumentError, ValueError)
    e = cfree.SymbolNotFoundError("cfree: `x` is not defined")
    assert str(e) == "cfree: `x` is not defined"  # not KeyError's quoted repr


def test_many_failures_in_a_row(based):
    jit = based
    for i in range(30):
        with pytest.raises(cfree.CompileError, match=re.escape("f%d.c:1:" % i)):
            jit.add_source("int f%d( {" % i, filename="f%d.c" % i)
        with pytest.raises(cfree.LinkError):
            jit.add_source("int u%d(void); int v%d(void) { return u%d(); }" % (i, i, i))
    assert_still_works(jit)
