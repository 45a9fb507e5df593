// cfree-args: -lm
/* Matrix multiplication (naive, transposed, blocked) on doubles and ints, with checksums,
 * plus an LU decomposition solving a linear system. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>

#define N 64

static double A[N][N], B[N][N], C1[N][N], C2[N][N], C3[N][N], BT[N][N];

static void init(void)
{
    unsigned s = 1;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            s = s * 1103515245u + 12345u;
            A[i][j] = (double)((s >> 16) % 100) / 10.0 - 5.0;
            s = s * 1103515245u + 12345u;
            B[i][j] = (double)((s >> 16) % 100) / 10.0 - 5.0;
        }
}

static void naive(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double sum = 0;
            for (int k = 0; k < N; k++)
                sum += A[i][k] * B[k][j];
            C1[i][j] = sum;
        }
}

static void transposed(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            BT[j][i] = B[i][j];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double sum = 0;
            for (int k = 0; k < N; k++)
                sum += A[i][k] * BT[j][k];
            C2[i][j] = sum;
        }
}

static void blocked(int bs)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            C3[i][j] = 0;
    for (int ii = 0; ii < N; ii += bs)
        for (int kk = 0; kk < N; kk += bs)
            for (int jj = 0; jj < N; jj += bs)
                for (int i = ii; i < ii + bs; i++)
                    for (int k = kk; k < kk + bs; k++) {
                        double a = A[i][k];
                        for (int j = jj; j < jj + bs; j++)
                            C3[i][j] += a * B[k][j];
                    }
}

static double checksum(double m[N][N])
{
    double s = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            s += m[i][j] * ((i + 2 * j) % 7 + 1);
    return s;
}

static double max_diff(double x[N][N], double y[N][N])
{
    double d = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            if (fabs(x[i][j] - y[i][j]) > d)
                d = fabs(x[i][j] - y[i][j]);
    return d;
}

/* solve M x = b for a 4x4 system by LU decomposition with partial pivoting */
static void solve4(double m[4][4], double b[4], double x[4])
{
    int perm[4] = {0, 1, 2, 3};
    for (int k = 0; k < 4; k++) {
        int p = k;
        for (int i = k + 1; i < 4; i++)
            if (fabs(m[i][k]) > fabs(m[p][k]))
                p = i;
        if (p != k) {
            for (int j = 0; j < 4; j++) {
                double t = m[k][j]; m[k][j] = m[p][j]; m[p][j] = t;
            }
            int t = perm[k]; perm[k] = perm[p]; perm[p] = t;
        }
        for (int i = k + 1; i < 4; i++) {
            m[i][k] /= m[k][k];
            for (int j = k + 1; j < 4; j++)
                m[i][j] -= m[i][k] * m[k][j];
        }
    }
    double y[4];
    for (int i = 0; i < 4; i++) {
        y[i] = b[perm[i]];
        for (int j = 0; j < i; j++)
            y[i] -= m[i][j] * y[j];
    }
    for (int i = 3; i >= 0; i--) {
        x[i] = y[i];
        for (int j = i + 1; j < 4; j++)
            x[i] -= m[i][j] * x[j];
        x[i] /= m[i][i];
    }
}

int main(void)
{
    init();
    naive();
    transposed();
    blocked(16);
    printf("checksum %.6f\n", checksum(C1));
    printf("transposed equal %d blocked diff < 1e-9 %d\n", max_diff(C1, C2) == 0,
           max_diff(C1, C3) < 1e-9);
    printf("C[0][0] %.4f C[63][63] %.4f C[17][42] %.4f\n", C1[0][0], C1[63][63], C1[17][42]);

    int im[8][8], id[8][8], ir[8][8];
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++) {
            im[i][j] = i - j;
            id[i][j] = i == j ? 2 : 0;
        }
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++) {
            ir[i][j] = 0;
            for (int k = 0; k < 8; k++)
                ir[i][j] += im[i][k] * id[k][j];
        }
    printf("int %d %d %d\n", ir[7][0], ir[0][7], ir[3][3]);

    double m[4][4] = {{2, 1, -1, 3}, {-3, -1, 2, 1}, {-2, 1, 2, -4}, {1, 2, 3, 4}};
    double b[4] = {8, -11, -3, 10}, x[4];
    solve4(m, b, x);
    printf("solution %.6f %.6f %.6f %.6f\n", x[0], x[1], x[2], x[3]);
    return 0;
}
