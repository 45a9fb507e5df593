/* Each enumerated type is a type of its own: compatible with its underlying integer type,
   not with another enum; enumerators are ints; arithmetic promotes. */
#include <stdio.h>

enum color { RED, GREEN, BLUE };
enum shape { CIRCLE = -1, SQUARE };
typedef enum { HOT, COLD } temp;

#define KIND(x) _Generic((x), enum color: "enum color", enum shape: "enum shape", \
    temp: "temp", long: "long", default: "other")

int main(void) {
    enum color c = GREEN;
    enum shape s = SQUARE;
    temp t = COLD;
    puts(KIND(c));
    puts(KIND(s));
    puts(KIND(t));
    printf("%d\n", _Generic(RED, int: 1, default: 0));
    puts(KIND(c + 1L));
    printf("%d %d %d %d\n", __builtin_types_compatible_p(enum color, enum shape),
           __builtin_types_compatible_p(enum color, unsigned int),
           __builtin_types_compatible_p(enum shape, int),
           __builtin_types_compatible_p(temp, enum color));
    printf("%zu %d %d\n", sizeof(enum color), c * 10 + s, (int)t);
    unsigned u = c;
    enum color back = (enum color)(u + 1);
    printf("%d %d\n", back == BLUE, (c | s) == 1);
    return 0;
}
