/* Variable length array parameters (C99 6.7.6.3, 6.9.1p10): sizes naming earlier parameters,
   evaluated at entry in order (side effects included), `[*]` in prototypes, `static`. */
#include <stdio.h>

void fill(int rows, int cols, double m[rows][cols]);
double trace(int n, double m[*][*]);

void fill(int rows, int cols, double m[rows][cols]) {
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            m[i][j] = i * 10 + j;
}

double trace(int n, double m[n][n]) {
    double t = 0;
    for (int i = 0; i < n; i++)
        t += m[i][i];
    return t;
}

static size_t row_bytes(int n, int m, char grid[n][m]) { return sizeof grid[0] + sizeof *grid; }

static int side_effects(int i, int b[i][i], int a[i++]) {
    (void)a;
    return i * 100 + (int)(sizeof b[0] / sizeof b[0][0]);
}

static long sum3(int a, int b, int c, long cube[a][b][c]) {
    long s = 0;
    for (int i = 0; i < a; i++)
        for (int j = 0; j < b; j++)
            for (int k = 0; k < c; k++)
                s += cube[i][j][k] * (i + 1);
    return s;
}

static int first(int n, const int v[static n]) { return v[0] + v[n - 1]; }

int main(void) {
    double m[4][4];
    fill(4, 4, m);
    printf("%g\n", trace(4, m));
    double r[3][5];
    fill(3, 5, r);
    printf("%g %g\n", r[2][4], r[1][0]);
    char g[7][9];
    printf("%zu\n", row_bytes(7, 9, g));
    int a[3], b[3][3];
    printf("%d\n", side_effects(3, b, a));
    long cube[2][3][4];
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 4; k++)
                cube[i][j][k] = i + j * k;
    printf("%ld\n", sum3(2, 3, 4, cube));
    int v[] = {4, 5, 6};
    printf("%d\n", first(3, v));
    return 0;
}
