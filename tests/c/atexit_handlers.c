/* atexit handlers run in reverse order of registration, after main returns, and can still
 * use stdio; the exit status comes from main. */
#include <stdio.h>
#include <stdlib.h>

static int order;

static void first(void) { printf("handler first (registered 1st), order %d\n", ++order); }
static void second(void) { printf("handler second (registered 2nd), order %d\n", ++order); }
static void third(void)
{
    printf("handler third (registered 3rd), order %d\n", ++order);
    fprintf(stderr, "third handler writes to stderr\n");
}

static void repeated(void)
{
    static int calls;
    printf("repeated handler call %d\n", ++calls);
}

int main(void)
{
    if (atexit(first) || atexit(second) || atexit(third)) {
        printf("atexit failed\n");
        return 1;
    }
    atexit(repeated);
    atexit(repeated);
    printf("main is done\n");
    return 2;
}
