/* Multi-file program, part 3: an array and function pointers exported to the others. */
int shared_array[8] = {1, 2, 3, 4, 5, 6, 7, 8};
const int shared_array_len = sizeof shared_array / sizeof shared_array[0];
struct config { int verbose; double scale; } global_config = {1, 1.25};

static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b; }

long table_sum(void)
{
    long s = 0;
    for (int i = 0; i < shared_array_len; i++)
        s += shared_array[i];
    return s;
}

void table_fill(int base)
{
    for (int i = 0; i < shared_array_len; i++)
        shared_array[i] = base * i;
}

int (*table_op(int which))(int, int) { return which ? mul : add; }
