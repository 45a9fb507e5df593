"""Typed calls without hand-written prototypes: every scalar type, char * <-> bytes, pointers,
buffers modified in place, variadic functions, and the types the binding refuses.

Expected values are computed in Python from the arithmetic each C function performs."""

import array
import ctypes
import math
import struct

import pytest

import cfree
from conftest import wrap

SOURCE = r"""
#include <stddef.h>
#include <string.h>
#include <stdarg.h>
#include <stdio.h>

int add_i(int a, int b) { return a + b; }
unsigned int add_u(unsigned int a, unsigned int b) { return a + b; }
long add_l(long a, long b) { return a + b; }
unsigned long add_ul(unsigned long a, unsigned long b) { return a + b; }
long long mul_ll(long long a, long long b) { return a * b; }
unsigned long long mul_ull(unsigned long long a, unsigned long long b) { return a * b; }
short add_s(short a, short b) { return (short)(a + b); }
unsigned short add_us(unsigned short a, unsigned short b) { return (unsigned short)(a + b); }
signed char add_sc(signed char a, signed char b) { return (signed char)(a + b); }
unsigned char add_uc(unsigned char a, unsigned char b) { return (unsigned char)(a + b); }
char add_c(char a, char b) { return (char)(a + b); }
_Bool is_pos(int x) { return x > 0; }
int not_b(_Bool b) { return !b; }
float half_f(float x) { return x / 2.0f; }
double hyp2(double a, double b) { return a * a + b * b; }
long double triple_ld(long double x) { return x * 3; }
double mixed(int a, double b, float c, long d, char e, unsigned short f) {
    return a + b + c + d + e + f;
}
static int counter;
void bump(int by) { counter += by; }
int get_counter(void) { return counter; }
int unprototyped() { return 17; }

const char *greet(void) { return "hello, world"; }
char *null_str(void) { return NULL; }
unsigned long length(const char *s) { return s ? strlen(s) : (unsigned long)-1; }
unsigned char *first_byte_ptr(unsigned char *p) { return p; }
void *ptr_id(void *p) { return p; }
int is_null(void *p) { return p == NULL; }
void store(int *p, int v) { *p = v; }
int load(const int *p) { return *p; }
void upcase(char *s, int n) { for (int i = 0; i < n; i++) if (s[i] >= 'a' && s[i] <= 'z') s[i] -= 32; }
double sum_d(const double *a, int n) { double s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
void scale_d(double *a, int n, double k) { for (int i = 0; i < n; i++) a[i] *= k; }
void fill_i32(int *a, int n) { for (int i = 0; i < n; i++) a[i] = i * i - 5; }

struct point { int x, y; };
struct point make_point(int x) { struct point p = {x, -x}; return p; }
int point_sum(struct point p) { return p.x + p.y; }
int point_ptr_sum(const struct point *p) { return p->x + p->y; }
void point_set(struct point *p, int x, int y) { p->x = x; p->y = y; }
__int128 wide(int x) { return x; }

int apply(int (*f)(int, int), int a, int b) { return f(a, b); }
int (*pick(int which))(int, int) { return which ? add_i : 0; }

long vsum(int n, ...) {
    va_list ap; va_start(ap, n);
    long s = 0;
    for (int i = 0; i < n; i++) s += va_arg(ap, long);
    va_end(ap);
    return s;
}
double vsum_d(int n, ...) {
    va_list ap; va_start(ap, n);
    double s = 0;
    for (int i = 0; i < n; i++) s += va_arg(ap, double);
    va_end(ap);
    return s;
}
/* Sums its variadic arguments as `kinds` says: i int, l long, d double, s strlen(char *),
 * n 1000 if the pointer is NULL. */
double vmix(const char *kinds, ...) {
    va_list ap; va_start(ap, kinds);
    double s = 0;
    for (const char *k = kinds; *k; k++) {
        switch (*k) {
        case 'i': s += va_arg(ap, int); break;
        case 'l': s += va_arg(ap, long); break;
        case 'd': s += va_arg(ap, double); break;
        case 's': s += strlen(va_arg(ap, const char *)); break;
        case 'n': s += va_arg(ap, void *) == NULL ? 1000 : 0; break;
        }
    }
    va_end(ap);
    return s;
}
"""


@pytest.fixture(scope="module")
def tj():
    with cfree.Jit() as j:
        j.add_source(SOURCE, filename="types.c")
        yield j


def test_int_types(tj):
    cases = [
        ("add_i", 32, True, [(2, 3), (2**31 - 1, 1), (-7, -8)]),
        ("add_u", 32, False, [(4_000_000_000, 1_000_000_000), (1, 2)]),
        ("add_l", 64, True, [(2**62, 2**62), (-(2**40), 3)]),
        ("add_ul", 64, False, [(2**63, 2**63 + 5), (10, 20)]),
        ("add_s", 16, True, [(30000, 30000), (-3, 1)]),
        ("add_us", 16, False, [(60000, 6000), (1, 1)]),
        ("add_sc", 8, True, [(100, 100), (-100, 1)]),
        ("add_uc", 8, False, [(200, 100), (3, 4)]),
        ("add_c", 8, True, [(100, 100), (65, 1)]),  # char is signed on x86-64
    ]
    for name, bits, signed, args in cases:
        f = tj.function(name)
        for a, b in args:
            assert f(a, b) == wrap(a + b, bits, signed), (name, a, b)
    assert tj.mul_ll(-(3**30), 3**10) == wrap(-(3**40), 64, True)
    assert tj.mul_ull(2**40, 2**30) == wrap(2**70, 64, False)


def test_types_are_reported(tj):
    assert tj.function_type("mixed") == "double (int, double, float, long, char, unsigned short)"
    assert tj.add_i.c_type == "int (int, int)"
    assert tj.add_i.address == tj.lookup("add_i")
    # integer parameters are range-checked, then passed as the ctypes type
    assert [t.ctype for t in tj.add_i.argtypes] == [ctypes.c_int, ctypes.c_int]
    assert tj.add_i.restype is ctypes.c_int
    assert tj.function_type("nope") is None


def test_bool_float_double(tj):
    assert tj.is_pos(5) is True
    assert tj.is_pos(-5) is False
    assert tj.not_b(True) == 0 and tj.not_b(0) == 1
    x = 1.1
    expect = struct.unpack("f", struct.pack("f", struct.unpack("f", struct.pack("f", x))[0] / 2))[0]
    assert tj.half_f(x) == expect
    assert tj.hyp2(3.0, 4.0) == 25.0
    assert tj.hyp2(2, 0.5) == 4.25  # ints accepted for double
    assert tj.triple_ld(1.5) == 4.5  # long double: x87 extended, ctypes.c_longdouble
    f32 = struct.unpack("f", struct.pack("f", 0.25))[0]
    assert tj.mixed(1, 2.5, 0.25, 10**12, 3, 65535) == 1 + 2.5 + f32 + 10**12 + 3 + 65535


def test_void_and_state(tj):
    before = tj.get_counter()
    assert tj.bump(5) is None
    assert tj.bump(-2) is None
    assert tj.get_counter() == before + 3
    assert tj.unprototyped() == 17


def test_argument_count_is_checked(tj):
    with pytest.raises(TypeError):
        tj.add_i(1)
    with pytest.raises(TypeError):
        tj.add_i(1, 2, 3)
    with pytest.raises(TypeError):
        tj.get_counter(1)
    with pytest.raises(ctypes.ArgumentError):  # ctypes' error for a bad argument
        tj.add_i("1", 2)


def test_char_pointers(tj):
    assert tj.greet() == b"hello, world"
    assert tj.null_str() is None
    assert tj.length(b"abcdef") == 6
    assert tj.length("h\u00e9llo") == len("h\u00e9llo".encode("utf-8"))  # str: UTF-8
    assert tj.length(None) == 2**64 - 1
    buf = ctypes.create_string_buffer(b"xyz")
    assert tj.length(buf) == 3
    assert tj.length(bytearray(b"four\0junk")) == 4
    with pytest.raises(ctypes.ArgumentError, match="NUL"):
        tj.length("a\0b")
    # unsigned char * is a char pointer too: bytes in, bytes out
    assert tj.first_byte_ptr(b"ok\0") == b"ok"


def test_void_pointers(tj):
    assert tj.ptr_id(None) is None
    assert tj.ptr_id(12345) == 12345
    big = 2**63 + 12345  # all 64 bits survive
    assert tj.ptr_id(big) == big
    assert tj.is_null(None) == 1 and tj.is_null(8) == 0
    data = b"some bytes"
    assert tj.ptr_id(data) == ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value
    with pytest.raises(ctypes.ArgumentError, match="str"):
        tj.ptr_id("a str is not a void *")
    with pytest.raises(ctypes.ArgumentError, match="object"):
        tj.ptr_id(object())


def test_out_parameters(tj):
    v = ctypes.c_int(0)
    tj.store(ctypes.byref(v), 41)
    assert v.value == 41
    tj.store(v, 42)  # a ctypes object is passed by address
    assert v.value == 42
    assert tj.load(ctypes.pointer(ctypes.c_int(-9))) == -9
    assert tj.load(ctypes.addressof(v)) == 42


def test_bytearray_modified_in_place(tj):
    b = bytearray(b"hello world")
    tj.upcase(b, 5)
    assert b == bytearray(b"HELLO world")
    view = memoryview(b)[6:]  # an offset into the same memory
    tj.upcase(view, 5)
    assert b == bytearray(b"HELLO WORLD")


def test_double_buffers(tj):
    values = [1.5, -2.25, 3.0, 1e10]
    a = array.array("d", values)
    assert tj.sum_d(a, len(a)) == math.fsum(values)
    tj.scale_d(a, len(a), 2.0)
    assert list(a) == [v * 2.0 for v in values]
    m = memoryview(a)
    tj.scale_d(m[1:], 2, -1.0)  # elements 1 and 2
    assert list(a) == [values[0] * 2, -values[1] * 2, -values[2] * 2, values[3] * 2]
    raw = bytearray(struct.pack("3d", 1.0, 2.0, 4.0))
    tj.scale_d(raw, 3, 0.5)
    assert struct.unpack("3d", raw) == (0.5, 1.0, 2.0)
    c_arr = (ctypes.c_double * 3)(1.0, 2.0, 3.5)
    assert tj.sum_d(c_arr, 3) == 6.5
    tj.scale_d(c_arr, 3, 2.0)
    assert list(c_arr) == [2.0, 4.0, 7.0]


def test_read_only_buffers_are_copied(tj):
    frozen = struct.pack("2d", 1.25, 2.5)
    assert tj.sum_d(frozen, 2) == 3.75
    ro = memoryview(frozen)
    assert tj.sum_d(ro, 2) == 3.75
    tj.scale_d(ro, 2, 10.0)  # writes go to a copy
    assert struct.unpack("2d", frozen) == (1.25, 2.5)


def test_int_buffers(tj):
    a = array.array("i", [0] * 6)
    tj.fill_i32(a, len(a))
    assert list(a) == [i * i - 5 for i in range(6)]


def test_non_contiguous_buffer_rejected(tj):
    a = array.array("d", [1.0] * 8)
    with pytest.raises(ctypes.ArgumentError, match="contiguous"):
        tj.sum_d(memoryview(a)[::2], 4)


def test_struct_by_value_is_generated_from_the_declaration(tj):
    # (test_structs.py covers struct calls in depth; __int128 still has no ctypes type)
    f = tj.function("make_point")
    assert f.c_type == "struct point (int)"
    p = f(1)
    assert (p.x, p.y) == (1, -1)
    assert type(p) is tj.type("struct point")
    assert tj.point_sum(p) == 0
    with pytest.raises(ctypes.ArgumentError, match="struct point"):
        tj.point_sum(None)
    with pytest.raises(TypeError, match="__int128"):
        tj.wide(1)


def test_struct_pointers(tj):
    class Point(ctypes.Structure):
        _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int)]

    p = Point(3, 4)
    assert tj.point_ptr_sum(ctypes.byref(p)) == 7
    assert tj.point_ptr_sum(p) == 7
    tj.point_set(p, -10, 25)
    assert (p.x, p.y) == (-10, 25)


def test_function_pointers(tj):
    assert tj.apply(tj.add_i, 20, 22) == 42
    assert tj.apply(tj.lookup("add_i"), 1, 2) == 3
    cb = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int)(lambda a, b: a * b)
    assert tj.apply(cb, 6, 7) == 42
    assert tj.pick(1) == tj.lookup("add_i")
    assert tj.pick(0) is None
    assert tj.function_type("pick") == "int (int, int) * (int)"


def test_variadic(tj):
    f = tj.vsum
    assert f.c_type == "long (int, ...)"
    nums = [1, -2, 2**40, 7]
    assert f(len(nums), *nums) == sum(nums)
    assert f(0) == 0
    ds = [0.5, 1.25, -3.0]
    assert tj.vsum_d(len(ds), *ds) == sum(ds)
    args = [-5, 2**40, 2.5, b"four", "h\u00e9", True, None, 1.0e10]
    expect = -5 + 2**40 + 2.5 + 4 + len("h\u00e9".encode("utf-8")) + 1 + 1000 + 1.0e10
    assert tj.vmix("ildssinid", *args[:7], 0, args[7]) == expect
    assert tj.vmix("d", ctypes.c_float(0.5)) == 0.5  # c_float is promoted to double
    assert tj.vmix("s", bytearray(b"xy\0")) == 2  # buffers pass as pointers
    with pytest.raises(TypeError):
        tj.vsum()


@pytest.mark.parametrize(
    "text, expect",
    [
        ("int (int, double)", ("int", ["int", "double"], False)),
        ("char * (char *, ...)", ("char *", ["char *"], True)),
        ("void (void)", ("void", [], False)),
        ("int (...)", ("int", [], True)),
        ("unsigned long (void *, int)", ("unsigned long", ["void *", "int"], False)),
        ("struct point (int)", ("struct point", ["int"], False)),
        ("int (int (int, double) *, int)", ("int", ["int (int, double) *", "int"], False)),
        ("int (int) * (int)", ("int (int) *", ["int"], False)),
        ("int (int [4] *)", ("int", ["int [4] *"], False)),
    ],
)
def test_parse_function_type(text, expect):
    assert tuple(cfree.parse_function_type(text)) == expect


@pytest.mark.parametrize("text", ["int", "", "(int)", "int (int,)", "int (, int)"])
def test_parse_function_type_rejects(text):
    with pytest.raises(ValueError):
        cfree.parse_function_type(text)


def test_variadic_number_like_arguments(tj):
    import enum
    import fractions

    class Color(enum.IntEnum):
        RED = 7

    assert tj.vmix("ld", Color.RED, fractions.Fraction(1, 4)) == 7.25
    assert tj.vsum(2, Color.RED, -(2**63)) == 7 - 2**63
    assert tj.vsum(1, 2**64 - 1) == -1  # unsigned long bits, read back as long
    with pytest.raises(OverflowError):
        tj.vsum(1, 2**64)
