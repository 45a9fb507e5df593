/* SQLite workload for bench/programs.sh: 200,000 rows inserted in one transaction with a
 * prepared statement, an index built, then point lookups, range scans, aggregates and a
 * join. Prints checksums so every build can be checked to compute the same thing. */
#include <stdio.h>
#include <stdlib.h>
#include "sqlite3.h"

#define ROWS 200000

static sqlite3 *db;

static void must(int rc, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static long long query_sum(const char *sql) {
    sqlite3_stmt *st;
    long long sum = 0;
    must(sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
    while (sqlite3_step(st) == SQLITE_ROW)
        sum += sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return sum;
}

int main(void) {
    sqlite3_stmt *st;
    long long i, hits = 0;
    must(sqlite3_open(":memory:", &db), "open");
    must(sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, name TEXT, v REAL);"
                          "CREATE TABLE g(k INTEGER PRIMARY KEY, label TEXT);",
                      NULL, NULL, NULL), "create");
    must(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
    must(sqlite3_prepare_v2(db, "INSERT INTO t(k, name, v) VALUES (?, ?, ?)", -1, &st, NULL), "prep");
    for (i = 0; i < ROWS; i++) {
        char name[32];
        snprintf(name, sizeof name, "row-%lld", (i * 7919) % ROWS);
        sqlite3_bind_int64(st, 1, (i * 2654435761LL) % 1000);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(st, 3, (double)i / 3.0);
        must(sqlite3_step(st), "insert");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    for (i = 0; i < 1000; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "INSERT INTO g VALUES (%lld, 'group %lld')", i, i % 17);
        must(sqlite3_exec(db, sql, NULL, NULL, NULL), "insert g");
    }
    must(sqlite3_exec(db, "COMMIT; CREATE INDEX tk ON t(k); CREATE INDEX tn ON t(name);", NULL, NULL, NULL), "index");
    must(sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE name = ?", -1, &st, NULL), "prep2");
    for (i = 0; i < 50000; i++) {
        char name[32];
        snprintf(name, sizeof name, "row-%lld", (i * 31) % ROWS);
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            hits += sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    printf("lookups %lld\n", hits);
    printf("range %lld\n", query_sum("SELECT id FROM t WHERE k BETWEEN 100 AND 300"));
    printf("agg %lld\n", query_sum("SELECT CAST(sum(v) AS INTEGER) FROM t GROUP BY k"));
    printf("join %lld\n", query_sum("SELECT count(*) FROM t JOIN g USING(k) WHERE g.label LIKE '%3'"));
    printf("sort %lld\n", query_sum("SELECT id FROM (SELECT id FROM t ORDER BY name DESC, v LIMIT 1000)"));
    sqlite3_close(db);
    return 0;
}
