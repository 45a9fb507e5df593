"""Struct and union types generated from the compiled declarations: layouts against gcc's,
members by name, nesting, arrays, unions, bit-fields, by-value calls (registers, mixed
float/int, memory) against gcc-built copies of the same functions, pointers to structs."""

import ctypes
import shutil
import subprocess

import pytest

import cfree

STRUCTS = r"""
#include <stddef.h>
struct point { int x, y; };
typedef struct { double re, im; } cplx_t;
struct mix { char c; double d; int i; };
struct fmix { float f; int i; double d; };
struct big { long a[6]; char tag; };
struct nested { struct point a; cplx_t z; short s[3]; struct { unsigned char u; long l; } in; };
union number { int i; double d; unsigned char bytes[8]; };
struct with_union { int kind; union { int i; float f; }; char name[8]; };
struct bits { unsigned a : 3; int b : 5; unsigned char c; unsigned d : 12; _Bool e : 1; };
struct __attribute__((packed)) packed { char c; int i; short s; };
struct node { int value; struct node *next; };
"""

FUNCS = r"""
struct point make_point(int x, int y) { struct point p = {x, y}; return p; }
struct point scale_point(struct point p, int k) { p.x *= k; p.y *= k; return p; }
long point_key(struct point p) { return p.x * 1000L + p.y; }
cplx_t cmul(cplx_t a, cplx_t b) { cplx_t r = {a.re*b.re - a.im*b.im, a.re*b.im + a.im*b.re}; return r; }
struct mix mix_step(struct mix m) { m.c += 1; m.d = m.d * 2 + m.i; m.i -= 7; return m; }
struct fmix fmix_step(struct fmix m, double k) { m.f *= 2; m.i += (int)k; m.d += k; return m; }
struct big big_step(struct big b, int k) { for (int i = 0; i < 6; i++) b.a[i] = b.a[i] * k + i; b.tag++; return b; }
long big_sum(struct big b) { long s = b.tag; for (int i = 0; i < 6; i++) s += b.a[i] * (i + 1); return s; }
struct nested nested_step(struct nested n) { n.a.x++; n.z.im = -n.z.im; n.s[2] = n.s[0] + n.s[1]; n.in.l *= 3; n.in.u ^= 0xff; return n; }
void point_move(struct point *p, int dx) { p->x += dx; p->y -= dx; }
int list_sum(const struct node *n) { int s = 0; for (; n; n = n->next) s += n->value; return s; }
struct node g_nodes[3] = {{1, &g_nodes[1]}, {2, &g_nodes[2]}, {3, 0}};
struct node *first_node(void) { return &g_nodes[0]; }
int bits_sum(const struct bits *b) { return b->a + b->b + b->c + b->d + b->e; }
void bits_set(struct bits *b) { b->a = 5; b->b = -9; b->c = 200; b->d = 4000; b->e = 1; }
double number_d(union number *n) { return n->d; }
int with_union_i(struct with_union *w) { return w->kind + w->i; }
int packed_sum(struct packed p) { return p.c + p.i + p.s; }
"""

# member lists for the gcc layout helper: (C type, [members])
LAYOUT = [
    ("struct point", ["x", "y"]),
    ("cplx_t", ["re", "im"]),
    ("struct mix", ["c", "d", "i"]),
    ("struct fmix", ["f", "i", "d"]),
    ("struct big", ["a", "tag"]),
    ("struct nested", ["a", "z", "s", "in"]),
    ("union number", ["i", "d", "bytes"]),
    ("struct with_union", ["kind", "i", "f", "name"]),
    ("struct bits", ["c"]),
    ("struct packed", ["c", "i", "s"]),
    ("struct node", ["value", "next"]),
]

needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc (the reference)")


@pytest.fixture(scope="module")
def sj():
    with cfree.Jit() as j:
        j.add_source(STRUCTS + FUNCS, filename="structs.c")
        yield j


@pytest.fixture(scope="module")
def gcc_dir(tmp_path_factory):
    if shutil.which("gcc") is None:
        pytest.skip("needs gcc (the reference)")
    return tmp_path_factory.mktemp("gcc")


@pytest.fixture(scope="module")
def gcc_layout(gcc_dir):
    """sizeof/alignof/offsetof of every struct, printed by a gcc-compiled program."""
    lines = ["#include <stdio.h>", STRUCTS, "int main(void) {"]
    for t, members in LAYOUT:
        lines.append('printf("%s|size|%%zu\\n", sizeof(%s));' % (t, t))
        lines.append('printf("%s|align|%%zu\\n", _Alignof(%s));' % (t, t))
        for m in members:
            lines.append('printf("%s|%s|%%zu\\n", offsetof(%s, %s));' % (t, m, t, m))
    lines.append("return 0; }")
    src = gcc_dir / "layout.c"
    src.write_text("\n".join(lines))
    exe = gcc_dir / "layout"
    subprocess.run(["gcc", "-o", str(exe), str(src)], check=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    table = {}
    for line in out.splitlines():
        t, key, v = line.split("|")
        table[(t, key)] = int(v)
    return table


@pytest.fixture(scope="module")
def gcc_lib(gcc_dir):
    """The same functions built by gcc as a shared library (the by-value reference)."""
    src = gcc_dir / "funcs.c"
    src.write_text(STRUCTS + FUNCS)
    so = gcc_dir / "libfuncs.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-o", str(so), str(src)], check=True)
    return ctypes.CDLL(str(so))


def test_layouts_match_gcc(sj, gcc_layout):
    for t, members in LAYOUT:
        assert sj.sizeof(t) == gcc_layout[(t, "size")], t
        cls = sj.type(t)
        assert ctypes.sizeof(cls) == gcc_layout[(t, "size")], t
        assert cls._cfree_layout_["align"] == gcc_layout[(t, "align")], t
        for m in members:
            assert sj.offsetof(t, m) == gcc_layout[(t, m)], (t, m)
            if hasattr(type(cls), "__mro__") and m in dict(cls._fields_):
                assert getattr(cls, m).offset == gcc_layout[(t, m)], (t, m)


def test_members_by_name_nesting_and_arrays(sj):
    N = sj.type("struct nested")
    n = N(a=(1, 2), z=(0.5, 1.5), s=[1, 2, 3])
    setattr(n, "in", {"u": 7, "l": 11})  # `in` is a Python keyword
    assert (n.a.x, n.a.y, n.z.re, n.z.im, list(n.s)) == (1, 2, 0.5, 1.5, [1, 2, 3])
    assert (getattr(n, "in").u, getattr(n, "in").l) == (7, 11)
    n.a.x = 40  # nested members are views into the outer struct
    assert n.a.x == 40
    assert "struct nested" in repr(n) and "x=40" in repr(n)
    assert sj.type("cplx_t") is sj.type("cplx_t")
    assert sj.type("struct point")(3, 4) == sj.type("struct point")(3, 4)


def test_unions_and_anonymous_members(sj):
    U = sj.type("union number")
    u = U()
    u.d = 1.0
    assert bytes(u.bytes) == ctypes.string_at(ctypes.addressof(ctypes.c_double(1.0)), 8)
    assert sj.number_d(u) == 1.0
    W = sj.type("struct with_union")
    w = W(kind=3)
    w.i = 39  # a member of the anonymous union, reached directly as in C
    w.name = b"abc"
    assert sj.with_union_i(w) == 42
    assert w.name == b"abc"


def test_bitfields(sj):
    B = sj.type("struct bits")
    b = B()
    sj.bits_set(b)
    assert (b.a, b.b, b.c, b.d, b.e) == (5, -9, 200, 4000, 1)
    b.a, b.b, b.d = 7, -16, 1
    assert sj.bits_sum(b) == 7 - 16 + 200 + 1 + 1
    with pytest.raises(OverflowError):
        b.a = 8
    with pytest.raises(OverflowError):
        b.b = 16
    with pytest.raises(OverflowError):
        b.e = 2


def test_by_value_small_in_registers(sj, gcc_lib):
    P = sj.type("struct point")
    gcc_lib.scale_point.restype = P
    gcc_lib.scale_point.argtypes = [P, ctypes.c_int]
    for x, y, k in [(1, 2, 3), (-5, 7, -2), (2**20, -(2**20), 3)]:
        got = sj.scale_point(P(x, y), k)
        assert type(got) is P
        assert got == gcc_lib.scale_point(P(x, y), k)
        assert (got.x, got.y) == (x * k, y * k)
    assert sj.point_key(sj.make_point(12, 34)) == 12034
    assert sj.point_key((5, 6)) == 5006  # a tuple or dict builds the struct
    assert sj.point_key({"x": 1, "y": 2}) == 1002


def test_by_value_mixed_float_int(sj, gcc_lib):
    M = sj.type("struct mix")
    F = sj.type("struct fmix")
    C = sj.type("cplx_t")
    gcc_lib.mix_step.restype, gcc_lib.mix_step.argtypes = M, [M]
    gcc_lib.fmix_step.restype, gcc_lib.fmix_step.argtypes = F, [F, ctypes.c_double]
    gcc_lib.cmul.restype, gcc_lib.cmul.argtypes = C, [C, C]
    for m in [(1, 2.5, 3), (-3, -0.125, 1000)]:
        assert sj.mix_step(m) == gcc_lib.mix_step(M(*m))
    assert sj.fmix_step((1.5, 2, 0.25), 4.0) == gcc_lib.fmix_step(F(1.5, 2, 0.25), 4.0)
    z = sj.cmul((1.0, 2.0), (3.0, -1.0))
    assert (z.re, z.im) == (5.0, 5.0)
    assert z == gcc_lib.cmul(C(1.0, 2.0), C(3.0, -1.0))


def test_by_value_large_in_memory(sj, gcc_lib):
    B = sj.type("struct big")
    N = sj.type("struct nested")
    gcc_lib.big_step.restype, gcc_lib.big_step.argtypes = B, [B, ctypes.c_int]
    gcc_lib.big_sum.restype, gcc_lib.big_sum.argtypes = ctypes.c_long, [B]
    gcc_lib.nested_step.restype, gcc_lib.nested_step.argtypes = N, [N]
    b = B([1, -2, 3, 2**40, 5, 6], 9)
    assert sj.big_step(b, 3) == gcc_lib.big_step(b, 3)
    assert sj.big_sum(b) == gcc_lib.big_sum(b)
    r = sj.big_step(b, 2)
    assert list(r.a) == [2, -3, 8, 2**41 + 3, 14, 17] and r.tag == 10
    n = N((1, 2), (0.5, 1.5), [3, 4, 0], (0x0f, 5))
    assert sj.nested_step(n) == gcc_lib.nested_step(n)


def test_pointers_to_structs(sj):
    P = sj.type("struct point")
    p = P(10, 20)
    sj.point_move(p, 5)  # a struct object passes as a pointer to its memory
    assert (p.x, p.y) == (15, 15)
    sj.point_move(ctypes.byref(p), 1)
    assert (p.x, p.y) == (16, 14)
    head = sj.first_node()  # a typed pointer comes back
    assert head.contents.value == 1 and head.contents.next.contents.value == 2
    assert sj.list_sum(head) == 6
    Node = sj.type("struct node")
    c = Node(30, None)
    b = Node(20, ctypes.pointer(c))
    assert sj.list_sum(Node(10, ctypes.pointer(b))) == 60


def test_out_of_range_members_raise(sj):
    P = sj.type("struct point")
    with pytest.raises(OverflowError):
        P(2**31, 0)
    p = P()
    p.x = 2**31 - 1
    with pytest.raises(OverflowError):
        p.y = -(2**31) - 1
    N = sj.type("struct nested")
    n = N()
    with pytest.raises(OverflowError):
        n.s[0] = 40000
    with pytest.raises(OverflowError):
        getattr(n, "in").u = 256


def test_what_cannot_be_passed_by_value_is_refused_clearly(sj):
    with pytest.raises(TypeError, match="packed"):
        sj.packed_sum((1, 2, 3))
    P = sj.type("struct packed")
    assert ctypes.sizeof(P) == 7  # the packed layout itself is exact
    p = P(1, 2, 3)
    assert (p.c, p.i, p.s) == (1, 2, 3)
    with pytest.raises(TypeError, match="not a struct, union or enum"):
        sj.type("struct nope")
