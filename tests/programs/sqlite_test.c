/* SQLite exercise for tests/programs.rs: tables, indexes, joins, transactions, blobs,
 * floating point, aggregates, CTEs, printf formatting. Everything it prints depends only on
 * SQLite's behaviour, so a gcc build and a cfree build must print the same bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3.h"

static sqlite3 *db;

static int print_row(void *tag, int n, char **vals, char **names) {
    int i;
    printf("%s:", (const char *)tag);
    for (i = 0; i < n; i++)
        printf(" %s=%s", names[i], vals[i] ? vals[i] : "NULL");
    printf("\n");
    return 0;
}

static void exec(const char *tag, const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, print_row, (void *)tag, &err) != SQLITE_OK) {
        printf("%s: error: %s\n", tag, err);
        sqlite3_free(err);
    }
}

static void fill(void) {
    sqlite3_stmt *st;
    int i;
    exec("ddl", "CREATE TABLE dept(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
                "CREATE TABLE emp(id INTEGER PRIMARY KEY, name TEXT, dept INTEGER REFERENCES dept(id),"
                " salary REAL, hired TEXT, photo BLOB);"
                "CREATE INDEX emp_dept ON emp(dept, salary DESC);");
    exec("ins", "INSERT INTO dept(name) VALUES ('eng'),('ops'),('sales'),('empty');");
    exec("begin", "BEGIN");
    sqlite3_prepare_v2(db, "INSERT INTO emp(name, dept, salary, hired, photo) VALUES (?,?,?,?,?)", -1, &st, NULL);
    for (i = 0; i < 2000; i++) {
        char name[32], date[16];
        unsigned char blob[64];
        int j;
        snprintf(name, sizeof name, "emp%04d", (i * 7919) % 2000);
        snprintf(date, sizeof date, "20%02d-%02d-%02d", 10 + i % 15, 1 + i % 12, 1 + i % 28);
        for (j = 0; j < (int)sizeof blob; j++)
            blob[j] = (unsigned char)(i * 31 + j * 17);
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 2, 1 + i % 3);
        sqlite3_bind_double(st, 3, 1000.0 + (i % 97) * 123.456 + i / 7.0);
        sqlite3_bind_text(st, 4, date, -1, SQLITE_TRANSIENT);
        if (i % 5 == 0)
            sqlite3_bind_null(st, 5);
        else
            sqlite3_bind_blob(st, 5, blob, 1 + i % 64, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE)
            printf("insert failed: %s\n", sqlite3_errmsg(db));
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    exec("commit", "COMMIT");
}

static void queries(void) {
    exec("count", "SELECT count(*) AS n, count(photo) AS photos, sum(length(photo)) AS bytes FROM emp");
    exec("agg", "SELECT d.name, count(e.id) AS n, round(avg(e.salary), 3) AS avg, min(e.salary) AS lo,"
                " max(e.salary) AS hi, total(e.salary) AS tot FROM dept d LEFT JOIN emp e ON e.dept = d.id"
                " GROUP BY d.id ORDER BY d.name");
    exec("top", "SELECT e.name, d.name AS dept, e.salary FROM emp e JOIN dept d ON d.id = e.dept"
                " WHERE e.dept = 2 ORDER BY e.salary DESC, e.name LIMIT 5");
    exec("plan", "SELECT count(*) FROM emp INDEXED BY emp_dept WHERE dept = 3 AND salary > 5000");
    exec("hex", "SELECT id, hex(photo) AS h, typeof(photo) AS t FROM emp WHERE id IN (1, 2, 6, 64) ORDER BY id");
    exec("years", "SELECT substr(hired, 1, 4) AS y, count(*) AS n FROM emp GROUP BY y HAVING n > 130 ORDER BY y");
    exec("cte", "WITH RECURSIVE c(x, f) AS (SELECT 1, 1 UNION ALL SELECT x + 1, f * (x + 1) FROM c WHERE x < 20)"
                " SELECT group_concat(f, ',') AS facts FROM c");
    exec("float", "SELECT 1.0/3 AS third, 2.5e-10 * 4 AS tiny, 1e300 * 10 AS inf, 9007199254740993 AS big,"
                  " CAST(9007199254740993 AS REAL) AS bigf, 0.1 + 0.2 AS sum, -0.0 AS nz, 100.0 AS hundred,"
                  " round(2.675, 2) AS r, 7 / 2 AS idiv, 7 % 3 AS imod, abs(-4.5) AS ab");
    exec("math", "SELECT printf('%.10f', pi()) AS p, sqrt(2) AS s, exp(1) AS e, ln(10) AS l, pow(2, 0.5) AS pw");
    exec("printf", "SELECT printf('%5d|%-5d|%05.1f|%e|%g|%g|%s|%q|%Q|%x|%c|%%', 42, 42, 3.14159, 12345.6789,"
                   " 0.0001, 1e20, 'str', 'it''s', NULL, 255, 'z') AS p");
    exec("strings", "SELECT upper('abc') AS u, lower('ÀBC') AS l, length('héllo') AS n, replace('aaa', 'a', 'bb') AS r,"
                    " instr('hello', 'll') AS i, trim('  x  ') AS t, quote('a''b') AS q, 'a' || 1 || 2.5 AS c,"
                    " like('h%', 'hello') AS lk, glob('*.c', 'x.c') AS gl, unicode('€') AS uc, char(65, 8364) AS ch");
    exec("json", "SELECT json_object('a', 1, 'b', 2.5, 'c', json_array(1, 'x', NULL)) AS j,"
                 " json_extract('{\"k\":[10,20,{\"z\":3.25}]}', '$.k[2].z') AS x");
    exec("window", "SELECT name, salary, rank() OVER (ORDER BY salary DESC) AS r,"
                   " sum(salary) OVER (ORDER BY salary DESC ROWS 2 PRECEDING) AS run FROM emp WHERE dept = 1"
                   " ORDER BY salary DESC LIMIT 4");
    exec("date", "SELECT date('2024-02-28', '+1 day') AS d, julianday('2000-01-01') AS j,"
                 " strftime('%Y-%j %H:%M:%f', '2021-07-04 13:14:15.678') AS s, unixepoch('1970-01-02') AS u");
}

static void transactions(void) {
    exec("tx", "BEGIN; UPDATE emp SET salary = salary * 2 WHERE dept = 1; SAVEPOINT sp;"
               " DELETE FROM emp WHERE dept = 2; ROLLBACK TO sp; RELEASE sp; ROLLBACK;");
    exec("after-rollback", "SELECT dept, count(*) AS n, round(sum(salary), 2) AS s FROM emp GROUP BY dept");
    exec("tx2", "BEGIN; DELETE FROM emp WHERE id % 10 = 0; COMMIT;");
    exec("after-commit", "SELECT count(*) AS n FROM emp");
    exec("constraint", "INSERT INTO dept(name) VALUES ('eng')");
    exec("vacuum", "VACUUM");
    exec("integrity", "PRAGMA integrity_check");
}

static void mprintf(void) {
    char *s;
    s = sqlite3_mprintf("%f|%.3f|%10.4f|%-10.2f|%g|%.15g|%e|%.0e", 3.14159265358979, 2.0 / 3, -1.5, 1e6,
                        1.0 / 7, 0.1, 6.02214076e23, 12345.0);
    printf("mprintf1: %s\n", s);
    sqlite3_free(s);
    s = sqlite3_mprintf("%q|%Q|%Q|%w|%s|%z", "don't", "it's", (char *)NULL, "id\"x", "plain",
                        sqlite3_mprintf("%d", 7));
    printf("mprintf2: %s\n", s);
    sqlite3_free(s);
    s = sqlite3_mprintf("%lld|%llx|%u|%5.2s|%!.20g|%g|%g|%g", -1234567890123LL, 0xdeadbeefcafeLL, 4000000000u,
                        "abcdef", 0.1, 1e-300, 1.0 / 0.0, 123456789.0);
    printf("mprintf3: %s\n", s);
    sqlite3_free(s);
    s = sqlite3_snprintf(0, NULL, "x");
    printf("mprintf4: %s %d %d\n", sqlite3_snprintf(8, (char[8]){0}, "%s", "truncated!"), sqlite3_strglob("a*", "abc"),
           sqlite3_stricmp("ABC", "abd"));
    (void)s;
}

static void blobs(void) {
    sqlite3_stmt *st;
    unsigned long sum = 0;
    int rows = 0;
    sqlite3_prepare_v2(db, "SELECT id, photo, salary, name FROM emp WHERE photo IS NOT NULL ORDER BY id", -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_blob(st, 1);
        int n = sqlite3_column_bytes(st, 1), i;
        for (i = 0; i < n; i++)
            sum = sum * 31 + p[i];
        sum += (unsigned long)(sqlite3_column_double(st, 2) * 1000) + (unsigned long)sqlite3_column_int64(st, 0);
        rows++;
    }
    sqlite3_finalize(st);
    printf("blobs: rows=%d checksum=%lu\n", rows, sum);
}

int main(void) {
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return 1;
    printf("version: %s\n", sqlite3_libversion());
    fill();
    queries();
    blobs();
    transactions();
    mprintf();
    sqlite3_close(db);
    return 0;
}
