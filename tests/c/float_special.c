// cfree-args: -lm
/* Infinities, NaNs, signed zeros, subnormals, and the comparisons involving them. */
#include <stdio.h>
#include <math.h>
#include <float.h>

static const char *cls(double x)
{
    switch (fpclassify(x)) {
    case FP_NAN: return "nan";
    case FP_INFINITE: return "inf";
    case FP_ZERO: return "zero";
    case FP_SUBNORMAL: return "subnormal";
    case FP_NORMAL: return "normal";
    }
    return "?";
}

int main(void)
{
    volatile double zero = 0.0;
    double inf = 1.0 / zero;
    double ninf = -1.0 / zero;
    double nan_ = zero / zero;
    printf("%f %f %d %d\n", inf, ninf, isinf(inf), isinf(ninf));
    printf("isnan %d %d\n", isnan(nan_) != 0, isnan(inf) != 0);
    printf("nan==nan %d nan!=nan %d nan<1 %d nan>1 %d\n", nan_ == nan_, nan_ != nan_,
           nan_ < 1, nan_ > 1);
    printf("inf>DBL_MAX %d -inf<-DBL_MAX %d\n", inf > DBL_MAX, ninf < -DBL_MAX);
    printf("inf-inf is nan %d inf*0 is nan %d\n", isnan(inf - inf) != 0, isnan(inf * 0) != 0);

    double pz = 0.0, nz = -0.0;
    printf("pz==nz %d signbit %d %d 1/pz %f 1/nz %f\n", pz == nz, signbit(pz) != 0,
           signbit(nz) != 0, 1 / pz, 1 / nz);
    printf("%g %g\n", nz, -pz);

    printf("DBL_MAX %g DBL_MIN %g DBL_EPSILON %g\n", DBL_MAX, DBL_MIN, DBL_EPSILON);
    printf("FLT_MAX %g FLT_MIN %g FLT_EPSILON %g\n", FLT_MAX, FLT_MIN, FLT_EPSILON);
    printf("DBL_DIG %d FLT_DIG %d DBL_MANT_DIG %d\n", DBL_DIG, FLT_DIG, DBL_MANT_DIG);

    double sub = DBL_MIN / 4;
    printf("%s %s %s %s %s\n", cls(sub), cls(DBL_MIN), cls(0.0), cls(inf), cls(nan_));
    printf("%a %a\n", sub, DBL_MIN);

    volatile double big = DBL_MAX;
    printf("overflow %f\n", big * 2);
    volatile float fbig = FLT_MAX;
    printf("float overflow %f\n", (double)(fbig * 2.0f));
    printf("(float)1e40 %f\n", (double)(float)(big / 1e268));

    /* NaN and conditional logic */
    int taken = 0;
    if (nan_)
        taken |= 1;
    if (!nan_)
        taken |= 2;
    if (nan_ >= 0 || nan_ <= 0)
        taken |= 4;
    printf("taken %d\n", taken);

    /* fmax/fmin handle NaN specially */
    printf("fmax %g fmin %g\n", fmax(nan_, 3.0), fmin(2.0, nan_));
    printf("copysign %g %g\n", copysign(3.0, -0.0), copysign(-2.0, 1.0));
    printf("nextafter %a\n", nextafter(1.0, 2.0));
    printf("ldexp %g frexp ", ldexp(0.75, 10));
    int e;
    double m = frexp(1000.0, &e);
    printf("%g %d\n", m, e);
    printf("isfinite %d %d\n", isfinite(1.0) != 0, isfinite(inf) != 0);
    return 0;
}
