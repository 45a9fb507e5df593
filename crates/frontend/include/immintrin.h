/* cfree's <immintrin.h>: the x86 intrinsics cfree provides, SSE through AVX2 integer
   operations, PCLMULQDQ, BMI1/BMI2/LZCNT/POPCNT. Each is C over GNU vectors with the
   instruction's exact result, usable whatever `target` attribute the caller has (cfree
   generates baseline x86-64 code; the intrinsics do not need the instructions). Intrinsics
   not listed in these headers (AVX floating point, AVX-512, AES, SHA, ...) are undeclared:
   using one is an error, never a silent substitute. */
#ifndef __CFREE_IMMINTRIN_H
#define __CFREE_IMMINTRIN_H

#include <wmmintrin.h>
#include <avx2intrin.h>
#include <bmiintrin.h>
/* gcc's <immintrin.h> has these too (through <x86gprintrin.h>): __rdtsc, _bswap, ... */
#include <ia32intrin.h>

#endif
