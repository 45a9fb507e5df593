"""Globals: read and write scalars, arrays and structs in the image; range and const checks."""

import ctypes

import pytest

import cfree

SRC = r"""
int counter = 7;
unsigned char level = 3;
double ratio = 0.5;
long table[4] = {1, 2, 3, 4};
struct point { int x, y; } origin = {1, 2};
const int LIMIT = 10;
char *label = "start";
int get_counter(void) { return counter; }
long table_sum(void) { long s = 0; for (int i = 0; i < 4; i++) s += table[i]; return s; }
int origin_key(void) { return origin.x * 100 + origin.y; }
"""


@pytest.fixture
def gj():
    with cfree.Jit() as j:
        j.add_source(SRC)
        yield j


def test_scalars_read_and_write(gj):
    assert gj.counter == 7
    gj.counter = 41
    assert gj.get_counter() == 41  # C sees the write
    gj.counter += 1
    assert gj.counter == 42 and gj.get_counter() == 42
    assert gj.ratio == 0.5
    gj.ratio = 2.25
    assert gj.ratio == 2.25
    assert gj.global_type("counter") == "int"
    assert gj.global_type("nope") is None


def test_integer_globals_are_range_checked(gj):
    gj.counter = 2**31 - 1
    with pytest.raises(OverflowError):
        gj.counter = 2**31
    assert gj.counter == 2**31 - 1  # unchanged
    gj.level = 255
    with pytest.raises(OverflowError):
        gj.level = -1
    with pytest.raises(OverflowError):
        gj.level = 256


def test_arrays_and_structs(gj):
    assert list(gj.table) == [1, 2, 3, 4]
    gj.table[2] = 30
    assert gj.table_sum() == 37
    gj.table = [10, 20]  # a shorter list writes the first elements
    assert list(gj.table) == [10, 20, 30, 4]
    with pytest.raises(OverflowError):
        gj.table[0] = 2**63
    with pytest.raises(ValueError):
        gj.table = [0] * 5
    assert (gj.origin.x, gj.origin.y) == (1, 2)
    gj.origin.y = 5  # a live view of the global
    assert gj.origin_key() == 105
    gj.origin = (7, 8)
    assert gj.origin_key() == 708
    gj.origin = gj.type("struct point")(y=3)
    assert gj.origin_key() == 3
    with pytest.raises(OverflowError):
        gj.origin.x = 2**40


def test_const_and_pointer_globals(gj):
    assert gj.LIMIT == 10
    with pytest.raises(AttributeError, match="const"):
        gj.LIMIT = 11
    assert gj.label == b"start"
    gj.label = b"changed"
    assert gj.label == b"changed"


def test_library_globals_by_declaration(gj):
    gj.declare("extern char **environ;")
    env = gj.environ
    assert isinstance(env, int) and env != 0
