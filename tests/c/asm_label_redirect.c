/* Declarations that name another linker symbol through an asm label, as glibc's __REDIRECT
   does (stat -> stat64 with _FILE_OFFSET_BITS=64): distinct C types, one symbol. */
#define _FILE_OFFSET_BITS 64
#define _LARGEFILE64_SOURCE 1
#include <stdio.h>
#include <sys/stat.h>
struct A { long x; };
struct B { long x; };
extern long f(struct A *) __asm__("g");
extern long g(struct B *);
long g(struct B *b) { return b->x * 2; }
int counter __asm__("renamed_counter") = 5;
extern int renamed_counter;
int main(void) {
    struct A a = { 21 };
    struct stat st;
    struct stat64 st64;
    printf("%ld %d\n", f(&a), counter + renamed_counter);
    printf("%d %d\n", stat("/", &st), stat64("/", &st64));
    printf("%d\n", st.st_ino == st64.st_ino && sizeof st.st_size == 8);
    return 0;
}
