/* Macro-expansion corner cases, compared token by token with gcc -E. */

/* A function-like macro name without ( is left alone, also across lines. */
#define fn(x) [x]
fn; fn
(1) fn
  ;
int fn = 1;

/* Invocation spanning lines, with comments in the arguments. */
fn(a /* c */ +
   b // d
  )

/* Arguments that are themselves invocations, and nested parentheses. */
#define pair(a, b) {a, b}
pair(fn(1), pair((2, 3), fn((4))))

/* Self reference through arguments (blue paint survives being passed on). */
#define self self + 1
#define id(x) x
id(self) id(id(self))
#define rec(x) rec(x + 1)
id(rec(0)) rec(rec(0))

/* Macro producing the name of a function-like macro, arguments from the file. */
#define name fn
name(5) name
(6)

/* GNU comma swallowing and named variadic parameters. */
#define e1(fmt, ...) out(fmt, ## __VA_ARGS__)
#define e2(fmt, args...) out(fmt, ## args)
#define e3(...) out(0, ## __VA_ARGS__)
e1("a") e1("a", 1) e1("a",) e1("a", 1, 2)
e2("b") e2("b", 1, 2)
e3() e3(1) e3(e3(2))

/* Stringizing: escapes, spacing, empty arguments. */
#define str(x) #x
#define xstr(x) str(x)
str(  leading   and    trailing  ) str("q\"uote" 'c' '\\' L"w")
str(a
b) str() xstr(__LINE__) xstr(fn(1))
str(@ \ `)

/* Pasting: numbers, punctuators, empty operands, pasting into macro names. */
#define cat(a, b) a ## b
#define xcat(a, b) cat(a, b)
cat(1, 2) cat(0x, ff) cat(+, +) cat(<<, =) cat(., 5) cat(L, "wide") cat(u8, "s")
cat(, ) cat(a, ) cat(, b) xcat(cat(1, 2), 3)
#define ab done
cat(a, b) xcat(a, b)
#define hash_hash # ## #
#define mkstr(a) # a
#define in_between(a) mkstr(a)
#define join(c, d) in_between(c hash_hash d)
char p[] = join(x, y);

/* Directives inside macro arguments. */
#define apply(x) <x>
apply(
#ifdef fn
  defined
#else
  undefined
#endif
)

/* Empty expansions and whitespace. */
#define EMPTY
#define LP (
EMPTY int EMPTY x EMPTY ;
fn EMPTY (1)
id(fn LP 2))

/* Object-like macros expanding to directives-looking tokens. */
#define H #
#define HH # #
H define not_a_directive
x HH y

/* Object-like macro with the same name as a later parameter. */
#define x_val 5
#define use(x_val) x_val + x_val
use(1) x_val

/* Deeply nested expansion. */
#define n1(x) n2(x) n2(x)
#define n2(x) n3(x) n3(x)
#define n3(x) (x)
n1(n1(z))

/* Counter and line. */
__COUNTER__ __COUNTER__ __LINE__
#line 500
__LINE__

/* Pragmas. */
#pragma weak foo
_Pragma("GCC diagnostic push") after_pragma
#define DO_PRAGMA(x) _Pragma(#x) body
DO_PRAGMA(message("msg")) tail
