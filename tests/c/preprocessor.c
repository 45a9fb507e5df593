/* The preprocessor: X-macros, token pasting, stringizing, variadic macros, conditionals,
 * recursion prevention, predefined macros, #undef, multi-line macros, _Pragma. */
#include <stdio.h>
#include <string.h>

#define COLORS(X) \
    X(RED, 0xff0000) \
    X(GREEN, 0x00ff00) \
    X(BLUE, 0x0000ff) \
    X(WHITE, 0xffffff)

#define AS_ENUM(name, rgb) COLOR_##name,
#define AS_NAME(name, rgb) #name,
#define AS_RGB(name, rgb) rgb,
enum color { COLORS(AS_ENUM) COLOR_COUNT };
static const char *color_names[] = {COLORS(AS_NAME)};
static const unsigned color_rgb[] = {COLORS(AS_RGB)};

#define STR(x) #x
#define XSTR(x) STR(x)
#define CAT(a, b) a##b
#define XCAT(a, b) CAT(a, b)
#define VERSION_MAJOR 3
#define VERSION_MINOR 14
#define VERSION XSTR(VERSION_MAJOR) "." XSTR(VERSION_MINOR)

#define LOG(fmt, ...) printf("[log] " fmt "\n", __VA_ARGS__)
#define LOG0(...) printf("[log0] " __VA_ARGS__)
#define GNU_LOG(fmt, args...) printf("[gnu] " fmt "\n", ##args)
#define COUNT_ARGS(...) COUNT_ARGS_(__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0)
#define COUNT_ARGS_(a, b, c, d, e, f, n, ...) n
#define FIRST(a, ...) a
#define REST(a, ...) __VA_ARGS__

#define DEFINE_GETTER(type, field) \
    static type get_##field(const struct rec *r) { return r->field; }

int defined_x86_64(void);

struct rec { int id; double weight; const char *label; };
DEFINE_GETTER(int, id)
DEFINE_GETTER(double, weight)
DEFINE_GETTER(const char *, label)

#define SQUARE(x) ((x) * (x))
#define BAD_SQUARE(x) x * x
#define EMPTY
#define APPLY(f, x) f(x)
#define GET_SQUARE SQUARE

#if defined(VERSION_MAJOR) && VERSION_MAJOR >= 3
#define FEATURE "new"
#elif VERSION_MAJOR == 2
#define FEATURE "old"
#else
#define FEATURE "ancient"
#endif

#ifdef UNDEFINED_THING
#error "should not happen"
#endif

#if (1 << 4) != 16 || -1 >= 0 || 0xffffffffffffffff != -1
#error "preprocessor arithmetic is intmax_t"
#endif

#define MULTI_STMT(x) do { \
        int _tmp = (x);   \
        printf("multi %d\n", _tmp * 2); \
    } while (0)

int main(void)
{
    for (int i = 0; i < COLOR_COUNT; i++)
        printf("%d %s %06x\n", i, color_names[i], color_rgb[i]);
    printf("version %s\n", VERSION);
    printf("%s %s\n", STR(VERSION_MAJOR), XSTR(VERSION_MAJOR));
    printf("%s\n", STR(  spaced   out  "quoted\n"  ));
    int CAT(var, 1) = 10, XCAT(var, VERSION_MAJOR) = 30;
    printf("%d %d\n", var1, var3);

    LOG("%d + %d = %d", 2, 3, 5);
    LOG0("no args\n");
    GNU_LOG("gnu no args");
    GNU_LOG("gnu %s", "with args");
    printf("count %d %d %d\n", COUNT_ARGS(a), COUNT_ARGS(a, b, c), COUNT_ARGS(1, 2, 3, 4, 5, 6));
    printf("first %d rest %d %d\n", FIRST(7, 8, 9), REST(7, 8, 9));

    struct rec r = {5, 2.5, "label"};
    printf("%d %g %s\n", get_id(&r), get_weight(&r), get_label(&r));

    int self = 1;
#define self (self * 10) /* a self-reference is not expanded again */
    printf("self %d\n", self);
#undef self
    printf("%d %d\n", SQUARE(1 + 2), BAD_SQUARE(1 + 2));
    printf("%d\n", APPLY(SQUARE, 4) EMPTY);
    printf("%d\n", GET_SQUARE(6));
    printf("feature %s\n", FEATURE);
    MULTI_STMT(21);

    printf("line %d\n", __LINE__);
#line 500 "renamed.c"
    printf("line %d file %s\n", __LINE__, __FILE__);
    printf("stdc %d version %ld\n", __STDC__, __STDC_VERSION__);
    printf("func %s\n", __func__);
    printf("x86_64 %d linux %d lp64 %d\n", defined_x86_64(), 1, (int)sizeof(long) == 8);

#undef SQUARE
#define SQUARE(x) ((x) + (x))
    printf("redefined %d\n", SQUARE(5));
    _Pragma("GCC diagnostic push")
    printf("pragma ok\n");
    _Pragma("GCC diagnostic pop")
    return 0;
}

int defined_x86_64(void)
{
#if defined(__x86_64__) && defined(__linux__) && defined(__LP64__)
    return 1;
#else
    return 0;
#endif
}
