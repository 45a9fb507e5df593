/* Start-up of an SQLite program for bench/programs.sh: open a database, run one query. */
#include <stdio.h>
#include "sqlite3.h"

int main(void) {
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
    if (sqlite3_prepare_v2(db, "SELECT sqlite_version(), 6 * 7", -1, &st, NULL) != SQLITE_OK) return 1;
    while (sqlite3_step(st) == SQLITE_ROW)
        printf("%s %d\n", (const char *)sqlite3_column_text(st, 0), sqlite3_column_int(st, 1));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}
