/* cfree's <stddef.h>.
   Honours glibc's __need_* protocol: when a header defines __need_size_t (etc.) before
   including this file, only the requested definitions are made and the __need_ macro is
   removed again; the full header is provided only when nothing specific was asked for. */

#if !defined(__need_size_t) && !defined(__need_ptrdiff_t) && !defined(__need_wchar_t) \
    && !defined(__need_NULL) && !defined(__need_wint_t) && !defined(__need_max_align_t)
#ifndef __CFREE_STDDEF_H
#define __CFREE_STDDEF_H
#define _STDDEF_H
#define _STDDEF_H_
#define _ANSI_STDDEF_H
#define __STDDEF_H__
#define __need_size_t
#define __need_ptrdiff_t
#define __need_wchar_t
#define __need_NULL
#define __need_max_align_t
#define __CFREE_STDDEF_FULL
#endif
#endif

#ifdef __need_ptrdiff_t
#ifndef __CFREE_PTRDIFF_T
#define __CFREE_PTRDIFF_T
#define _PTRDIFF_T
#define _PTRDIFF_T_
#define _PTRDIFF_T_DECLARED
#define _GCC_PTRDIFF_T
typedef __PTRDIFF_TYPE__ ptrdiff_t;
#endif
#undef __need_ptrdiff_t
#endif

#ifdef __need_size_t
#ifndef __CFREE_SIZE_T
#define __CFREE_SIZE_T
#define __size_t__
#define __SIZE_T__
#define _SIZE_T
#define _SIZE_T_
#define _SIZE_T_DEFINED
#define _SIZE_T_DEFINED_
#define _SIZE_T_DECLARED
#define _GCC_SIZE_T
#define __size_t
typedef __SIZE_TYPE__ size_t;
#endif
#undef __need_size_t
#endif

#ifdef __need_wchar_t
#ifndef __CFREE_WCHAR_T
#define __CFREE_WCHAR_T
#define __wchar_t__
#define __WCHAR_T
#define _WCHAR_T
#define _WCHAR_T_
#define _WCHAR_T_DEFINED
#define _WCHAR_T_DEFINED_
#define _WCHAR_T_DECLARED
#define _GCC_WCHAR_T
typedef __WCHAR_TYPE__ wchar_t;
#endif
#undef __need_wchar_t
#endif

#ifdef __need_wint_t
#ifndef _WINT_T
#define _WINT_T 1
typedef __WINT_TYPE__ wint_t;
#endif
#undef __need_wint_t
#endif

#ifdef __need_NULL
#undef NULL
#define NULL ((void *)0)
#undef __need_NULL
#endif

#ifdef __need_max_align_t
#if (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L) && !defined(_GCC_MAX_ALIGN_T)
#define _GCC_MAX_ALIGN_T
#define __CLANG_MAX_ALIGN_T_DEFINED
typedef struct {
  long long __max_align_ll __attribute__((__aligned__(__alignof__(long long))));
  long double __max_align_ld __attribute__((__aligned__(__alignof__(long double))));
} max_align_t;
#endif
#undef __need_max_align_t
#endif

#ifdef __CFREE_STDDEF_FULL
#undef __CFREE_STDDEF_FULL
#undef offsetof
#define offsetof(TYPE, MEMBER) __builtin_offsetof(TYPE, MEMBER)
#if defined(__STDC_VERSION__) && __STDC_VERSION__ > 201710L
#define unreachable() (__builtin_unreachable())
#define __STDC_VERSION_STDDEF_H__ 202311L
#endif
#endif
