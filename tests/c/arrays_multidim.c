/* Arrays: multi-dimensional, initialisation, passing to functions, VLAs, sizeof. */
#include <stdio.h>

#define N 4

static int trace(int m[N][N])
{
    int t = 0;
    for (int i = 0; i < N; i++)
        t += m[i][i];
    return t;
}

static void transpose(int n, int m[n][n])
{
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            int t = m[i][j];
            m[i][j] = m[j][i];
            m[j][i] = t;
        }
}

static long sum3(int a[2][3][4])
{
    long s = 0;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 4; k++)
                s += a[i][j][k] * (i + 1);
    return s;
}

static void fill(int rows, int cols, double grid[rows][cols])
{
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            grid[r][c] = r + c / 10.0;
}

int main(void)
{
    int m[N][N] = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}, {13, 14, 15, 16}};
    printf("trace %d\n", trace(m));
    transpose(N, m);
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++)
            printf("%3d", m[i][j]);
        printf("\n");
    }

    int cube[2][3][4];
    int v = 0;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 4; k++)
                cube[i][j][k] = v++;
    printf("sum3 %ld\n", sum3(cube));
    printf("sizes %zu %zu %zu %zu\n", sizeof cube, sizeof cube[0], sizeof cube[0][0],
           sizeof cube[0][0][0]);

    /* partial initialisation and omitted sizes */
    int partial[3][4] = {{1}, {2, 3}, {4, 5, 6}};
    int flat[][3] = {1, 2, 3, 4, 5, 6, 7};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            printf("%d", partial[i][j]);
    printf("\nflat rows %zu last %d %d\n", sizeof flat / sizeof flat[0], flat[2][0], flat[2][2]);

    /* char matrices */
    char names[][8] = {"ann", "bob", "clementi"};
    for (int i = 0; i < 3; i++)
        printf("%.8s|", names[i]);
    printf(" %zu\n", sizeof names);

    /* VLA */
    int rows = 3, cols = 5;
    double grid[rows][cols];
    fill(rows, cols, grid);
    double total = 0;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            total += grid[r][c];
    printf("vla total %.2f sizeof %zu\n", total, sizeof grid);

    /* Pascal's triangle in a 2D array */
    long pas[15][15] = {{0}};
    for (int i = 0; i < 15; i++) {
        pas[i][0] = 1;
        for (int j = 1; j <= i; j++)
            pas[i][j] = pas[i - 1][j - 1] + pas[i - 1][j];
    }
    for (int j = 0; j < 15; j++)
        printf("%ld ", pas[14][j]);
    printf("\n");

    /* array of arrays assigned via pointers */
    int (*pm)[N] = m;
    pm[2][1] = 100;
    printf("%d\n", m[2][1]);
    int *flatp = &m[0][0];
    printf("%d %d\n", flatp[2 * N + 1], flatp[N * N - 1]);
    return 0;
}
