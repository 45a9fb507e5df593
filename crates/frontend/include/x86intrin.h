/* cfree's <x86intrin.h>: <immintrin.h> plus the <ia32intrin.h> helpers. */
#ifndef __CFREE_X86INTRIN_H
#define __CFREE_X86INTRIN_H

#include <immintrin.h>
#include <ia32intrin.h>

#endif
