/* #include of local headers: quoted relative paths, nested includes, angle brackets found
 * through -I, include guards and #pragma once (each header is included twice). */
#include "include/shapes.h"
#include "include/shapes.h"
#include <cfree_test_util.h>
#include <cfree_test_util.h>
#include "include/shape_kinds.h"

int shapes_made;

static struct shape make(enum shape_kind k, double a, double b)
{
    shapes_made++;
    struct shape s = {k, a, b};
    return s;
}

double total_area(const struct shape *v, int n)
{
    double t = 0;
    for (int i = 0; i < n; i++)
        t += shape_area(&v[i]);
    return t;
}

int main(void)
{
    struct shape shapes[] = {
        make(SHAPE_RECT, 3, 4),
        make(SHAPE_TRIANGLE, 3, 4),
        make(SHAPE_CIRCLE, 1, 0),
    };
    for (int i = 0; i < 3; i++)
        printf("%s area %.6f\n", shape_kind_names[shapes[i].kind], shape_area(&shapes[i]));
    printf("total %.6f made %d\n", total_area(shapes, 3), shapes_made);
    CHECK(shapes_made == 3);
    CHECK(SHAPE_KIND_COUNT == 3);
    CHECK(total_area(shapes, 2) == 18.0);
    return check_failures;
}
