/* Equivalents of the macro-replacement examples in C11 6.10.3.5 (and 6.10.3.3/6.10.3.4),
   rewritten with different names and operands but the same tricky structure. */

/* Redefinition and rescanning (EXAMPLE 3). */
#define k 7
#define F(v) F(k + (v))
#undef k
#define k 9
#define G F
#define Z Z[1]
#define H G(-
#define M(v) v(q)
#define q 2,3
#define T(v) v
#define P() long
#define Q(k) k
#define R(a, b) a ## b
#define S(a) # a
F(n*2) - F(F(Z)) ^ T(T(G)(1) - T)(2);
G(k+(5,6)-q) & H 8) | M
(F)~M(M);
P() arr[Q()] = { Q(3), R(4,5), R(6,), R(,7), R(,) };
char names[2][8] = { S(world), S() };

/* Stringizing and indirect expansion (EXAMPLE 4). */
#define S2(s) # s
#define XS(s) S2(s)
#define TRACE(a, b) printf("v" #a "= %d, v" #b "= %s", \
    v ## a, v ## b)
#define FILENAME(n) XS(inc ## n.h)
#define JOIN(a, b) a ## b
#define XJOIN(a, b) JOIN(a, b)
#define GREETING "hi \n"
TRACE(3, 4);
fputs(S2(strncmp("pqr\0s", "pqr", '\3') == 0) S2(: @\n), s);
FILENAME(XS(2))
JOIN(PRE, FIX) XJOIN(S2(a) " b", )
XS(GREETING)
XJOIN(X, S)(z)

/* Placemarkers (EXAMPLE 5). */
#define T3(a,b,c) a ## b ## c
int nums[] = { T3(1,2,3), T3(,5,6), T3(7,,9), T3(10,11,),
               T3(12,,), T3(,13,), T3(,,14), T3(,,) };

/* Valid and invalid redefinitions (EXAMPLE 6) are covered by unit tests. */

/* Variadic macros (EXAMPLE 7). */
#define LOG(...) fprintf(stderr, __VA_ARGS__)
#define LIST(...) puts(#__VA_ARGS__)
#define CHECK(cond, ...) ((cond) ? puts(#cond) : printf(__VA_ARGS__))
LOG("Flag");
LOG("X = %d\n", x);
LIST(The first, second, and third items.);
CHECK(a > b, "a is %d but b is %d", a, b);

/* __VA_OPT__ (C23 6.10.5.1 EXAMPLE). */
#define VF(...) vf(0 __VA_OPT__(,) __VA_ARGS__)
#define VG(X, ...) vf(0, X __VA_OPT__(,) __VA_ARGS__)
#define SDEF(sname, ...) S sname __VA_OPT__(= { __VA_ARGS__ })
#define EMP
VF(a, b, c) VF() VF(EMP)
VG(a, b, c) VG(a, ) VG(a)
SDEF(foo); SDEF(bar, 1, 2);

/* The rescanning example of 6.10.3.4: nested invocations left for later. */
#define LPAREN (
#define ID(x) x
#define APPLY(f, x) f x
APPLY(ID, LPAREN 1 ))
#define NIL(x) x
#define GG NIL(GG)
GG
#define f2(a) a*g2
#define g2(a) f2(a)
f2(2)(9)
