/* Included from shapes.h with quotes: searched in shapes.h's own directory first. */
#pragma once

enum shape_kind { SHAPE_RECT, SHAPE_TRIANGLE, SHAPE_CIRCLE, SHAPE_KIND_COUNT };
#define SHAPE_PI 3.14159265358979323846

static const char *const shape_kind_names[SHAPE_KIND_COUNT] = {"rect", "triangle", "circle"};
