"""Enumeration constants and integer #defines of the compiled sources."""

import pytest

import cfree

SRC = r"""
#include <stdio.h>
#define BUFSIZE 4096
#define MASK (1u << 31)
#define NEG (-5)
#define DERIVED (BUFSIZE * 2 + 1)
#define NOT_AN_INT 1.5
#define A_STRING "text"
#define LIKE_A_CALL(x) ((x) + 1)
enum color { RED, GREEN = 5, BLUE };
enum { ANON_A = -2, ANON_B };
enum color pick(enum color c) { return c; }
"""


@pytest.fixture
def cj():
    with cfree.Jit() as j:
        j.add_source(SRC)
        yield j


def test_enum_constants(cj):
    assert (cj.RED, cj.GREEN, cj.BLUE) == (0, 5, 6)
    assert (cj.ANON_A, cj.ANON_B) == (-2, -1)
    assert cj.pick(cj.BLUE) == 6
    with pytest.raises(OverflowError):
        cj.pick(-1)  # enum color's type is unsigned int, as gcc


def test_integer_macros(cj):
    c = cj.constants
    assert c["BUFSIZE"] == 4096 and cj.BUFSIZE == 4096
    assert c["MASK"] == 2**31
    assert c["NEG"] == -5
    assert c["DERIVED"] == 8193
    for name in ("NOT_AN_INT", "A_STRING", "LIKE_A_CALL", "EOF", "BUFSIZ", "__STDC__"):
        assert name not in c  # not integers, function-like, or from system headers
    with pytest.raises(TypeError):
        c["X"] = 1  # read-only


def test_constants_follow_appends_and_declarations(cj):
    assert "LATER" not in cj.constants
    cj.add_source("#define LATER 12\nenum more { MORE = 3 };")
    assert cj.LATER == 12 and cj.MORE == 3
    cj.declare("#define DECLARED 0x10")
    assert cj.DECLARED == 16


def test_functions_and_globals_win_over_constants(cj):
    cj.add_source("int twice(int v) { return 2 * v; }")
    assert cj.twice(4) == 8
    with pytest.raises(AttributeError):
        cj.NO_SUCH_NAME
