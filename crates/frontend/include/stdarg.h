/* cfree's <stdarg.h>: va_list is the compiler's __builtin_va_list.
   With __need___va_list defined (glibc's stdio.h does this) only __gnuc_va_list is provided. */

#ifndef __GNUC_VA_LIST
#define __GNUC_VA_LIST
typedef __builtin_va_list __gnuc_va_list;
#endif

#ifdef __need___va_list
#undef __need___va_list
#else
#ifndef _STDARG_H
#define _STDARG_H
#define _ANSI_STDARG_H_

#if defined(__STDC_VERSION__) && __STDC_VERSION__ > 201710L
#define va_start(v, ...) __builtin_va_start(v, 0)
#else
#define va_start(v, l) __builtin_va_start(v, l)
#endif
#define va_end(v) __builtin_va_end(v)
#define va_arg(v, l) __builtin_va_arg(v, l)
#if !defined(__STRICT_ANSI__) || (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L)
#define va_copy(d, s) __builtin_va_copy(d, s)
#endif
#define __va_copy(d, s) __builtin_va_copy(d, s)

/* glibc and others define va_list themselves under these guards. */
#if !defined(_VA_LIST) && !defined(_VA_LIST_) && !defined(_VA_LIST_DEFINED) \
    && !defined(_VA_LIST_T_H) && !defined(__va_list__)
typedef __gnuc_va_list va_list;
#endif
#define _VA_LIST
#define _VA_LIST_
#define _VA_LIST_DEFINED
#define _VA_LIST_T_H
#define __va_list__

#endif
#endif
