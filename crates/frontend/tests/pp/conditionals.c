/* #if evaluation compared with gcc: each line yields yes_N or no_N. */
#define ONE 1
#define ZERO 0
#define EMPTY
#define FN(x) (x + 1)
#define DEF defined(ONE)

#if -1 < 0
yes_1
#endif
#if -1 > 0u
yes_2
#endif
#if (0u - 1) == 18446744073709551615u
yes_3
#endif
#if 0x7fffffffffffffff + 0 > 0
yes_4
#endif
#if FN(ONE) == 2 && FN(ZERO EMPTY) == 1
yes_5
#endif
#if defined ONE && defined(ZERO) && !defined TWO
yes_6
#endif
#if ZERO || (ONE ? 3 : 1 / ZERO) == 3
yes_7
#endif
#if 'z' - 'a' == 25 && '\n' == 10 && '\x41' == 65 && '\101' == 65
yes_8
#endif
#if (1 << 62) >> 61 == 2 && -16 >> 2 == -4 && 17 % 5 == 2 && -17 / 5 == -3
yes_9
#endif
#if (2 || 3) == 1 && (0 && 7) == 0 && !!42 == 1 && ~ZERO == -1
yes_10
#endif
#if UNDEFINED_NAME
no_11
#elif UNDEFINED_NAME + 1
yes_11
#else
no_11b
#endif
#ifdef ONE
# if ZERO
no_12
# elif ONE
yes_12
#  if 0
no_12b
#  else
yes_12b
#  endif
# endif
#endif
#if 1 ? 2u : -1
yes_13
#endif
#if (1 ? -1 : 2u) > 0
yes_14
#endif
#if 010 == 8 && 0x10 == 16 && 10ul == 10 && 3LL * 3 == 9
yes_15
#endif
#if __has_include(<stdio.h>) && !__has_include("no_such_header.h")
yes_16
#endif
#if defined(__has_include) && defined __FILE__
yes_17
#endif
#if (-9223372036854775807 - 1) < 0 && (-9223372036854775807 - 1) / 1 < 0
yes_18
#endif
#if 0
#error "not reached"
don't care about 'quotes' or "strings
#else
yes_19
#endif
#ifndef ZERO
no_20
#elif ZERO
no_20b
#else
yes_20
#endif
