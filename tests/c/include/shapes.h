/* Header for tests/c/include_header.c, included by a path relative to the including file. */
#ifndef CFREE_TEST_SHAPES_H
#define CFREE_TEST_SHAPES_H

#include "shape_kinds.h" /* found next to this header */

struct shape {
    enum shape_kind kind;
    double a, b;
};

static inline double shape_area(const struct shape *s)
{
    switch (s->kind) {
    case SHAPE_RECT: return s->a * s->b;
    case SHAPE_TRIANGLE: return s->a * s->b / 2;
    case SHAPE_CIRCLE: return SHAPE_PI * s->a * s->a;
    }
    return 0;
}

extern int shapes_made; /* defined in the .c file */
double total_area(const struct shape *v, int n);

#endif
