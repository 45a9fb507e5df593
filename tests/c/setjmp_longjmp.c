/* setjmp/longjmp: non-local exits from deep recursion, error handling, volatile locals. */
#include <stdio.h>
#include <setjmp.h>
#include <string.h>

static jmp_buf env;
static int depth_reached;

static void dive(int depth, int limit)
{
    depth_reached = depth;
    if (depth == limit)
        longjmp(env, depth);
    dive(depth + 1, limit);
}

struct parser { const char *s; int err; jmp_buf fail; };

static void fail(struct parser *p, int code)
{
    p->err = code;
    longjmp(p->fail, 1);
}

static long expr(struct parser *p);

static long atom(struct parser *p)
{
    if (*p->s == '(') {
        p->s++;
        long v = expr(p);
        if (*p->s != ')')
            fail(p, 2);
        p->s++;
        return v;
    }
    if (*p->s < '0' || *p->s > '9')
        fail(p, 1);
    long v = 0;
    while (*p->s >= '0' && *p->s <= '9')
        v = v * 10 + (*p->s++ - '0');
    return v;
}

static long term(struct parser *p)
{
    long v = atom(p);
    while (*p->s == '*' || *p->s == '/') {
        char op = *p->s++;
        long r = atom(p);
        if (op == '/' && r == 0)
            fail(p, 3);
        v = op == '*' ? v * r : v / r;
    }
    return v;
}

static long expr(struct parser *p)
{
    long v = term(p);
    while (*p->s == '+' || *p->s == '-') {
        char op = *p->s++;
        long r = term(p);
        v = op == '+' ? v + r : v - r;
    }
    return v;
}

static void evaluate(const char *text)
{
    /* static: it is modified after setjmp and read after longjmp */
    static struct parser p;
    p.s = text;
    p.err = 0;
    if (setjmp(p.fail) == 0) {
        long v = expr(&p);
        if (*p.s)
            fail(&p, 4);
        printf("%s = %ld\n", text, v);
    } else {
        static const char *msgs[] = {"", "expected number", "expected )", "division by zero",
                                     "trailing input"};
        printf("%s: error %d (%s) at offset %d\n", text, p.err, msgs[p.err], (int)(p.s - text));
    }
}

int main(void)
{
    switch (setjmp(env)) {
    case 0:
        dive(0, 50);
        printf("not reached\n");
        break;
    case 50:
        printf("longjmp returned 50, depth %d\n", depth_reached);
        break;
    default:
        printf("longjmp returned something else\n");
    }

    /* longjmp with 0 makes setjmp return 1 */
    volatile int count = 0;
    jmp_buf again;
    if (setjmp(again) == 0) {
        count++;
        longjmp(again, 0);
    }
    count++;
    printf("count %d\n", count);

    /* volatile locals keep values modified between setjmp and longjmp */
    static volatile int iterations = 0;
    jmp_buf loop;
    if (setjmp(loop) < 5)
        longjmp(loop, ++iterations);
    printf("iterations %d\n", iterations);

    const char *inputs[] = {"1+2*3", "(1+2)*3", "10/(5-5)", "2*(3+4", "7+x", "8/2-1", "3 "};
    for (int i = 0; i < 7; i++)
        evaluate(inputs[i]);
    return 0;
}
