/* A tokenizer and recursive-descent evaluator for a tiny expression language with variables:
 * numbers, identifiers, operators, parentheses, assignments, and error reporting. */
#include <stdio.h>
#include <ctype.h>
#include <string.h>
#include <stdlib.h>

enum tok_kind { T_NUM, T_IDENT, T_OP, T_LPAREN, T_RPAREN, T_ASSIGN, T_SEMI, T_END, T_ERR };

struct token { enum tok_kind kind; double num; char text[16]; int pos; };

struct lexer { const char *src; int pos; struct token cur; };

static void next_token(struct lexer *lx)
{
    const char *s = lx->src;
    while (isspace((unsigned char)s[lx->pos]))
        lx->pos++;
    struct token *t = &lx->cur;
    t->pos = lx->pos;
    t->text[0] = 0;
    char c = s[lx->pos];
    if (!c) {
        t->kind = T_END;
    } else if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)s[lx->pos + 1]))) {
        char *end;
        t->kind = T_NUM;
        t->num = strtod(s + lx->pos, &end);
        lx->pos = (int)(end - s);
    } else if (isalpha((unsigned char)c) || c == '_') {
        int n = 0;
        while ((isalnum((unsigned char)s[lx->pos]) || s[lx->pos] == '_') && n < 15)
            t->text[n++] = s[lx->pos++];
        t->text[n] = 0;
        t->kind = T_IDENT;
    } else {
        lx->pos++;
        t->text[0] = c;
        t->text[1] = 0;
        t->kind = strchr("+-*/%^", c) ? T_OP : c == '(' ? T_LPAREN : c == ')' ? T_RPAREN
                : c == '=' ? T_ASSIGN : c == ';' ? T_SEMI : T_ERR;
    }
}

static struct { char name[16]; double value; } vars[32];
static int nvars;
static const char *error;

static double *var_ref(const char *name, int create)
{
    for (int i = 0; i < nvars; i++)
        if (strcmp(vars[i].name, name) == 0)
            return &vars[i].value;
    if (!create)
        return NULL;
    strcpy(vars[nvars].name, name);
    vars[nvars].value = 0;
    return &vars[nvars++].value;
}

static double parse_expr(struct lexer *lx);

static double parse_primary(struct lexer *lx)
{
    struct token t = lx->cur;
    if (t.kind == T_NUM) {
        next_token(lx);
        return t.num;
    }
    if (t.kind == T_IDENT) {
        next_token(lx);
        double *v = var_ref(t.text, 0);
        if (!v) {
            error = "undefined variable";
            return 0;
        }
        return *v;
    }
    if (t.kind == T_LPAREN) {
        next_token(lx);
        double v = parse_expr(lx);
        if (lx->cur.kind != T_RPAREN)
            error = "missing )";
        else
            next_token(lx);
        return v;
    }
    if (t.kind == T_OP && t.text[0] == '-') {
        next_token(lx);
        return -parse_primary(lx);
    }
    error = "unexpected token";
    return 0;
}

static double parse_power(struct lexer *lx)
{
    double base = parse_primary(lx);
    if (lx->cur.kind == T_OP && lx->cur.text[0] == '^') {
        next_token(lx);
        double e = parse_power(lx); /* right associative */
        double r = 1;
        for (int i = 0; i < (int)e; i++)
            r *= base;
        return r;
    }
    return base;
}

static double parse_term(struct lexer *lx)
{
    double v = parse_power(lx);
    while (lx->cur.kind == T_OP && strchr("*/%", lx->cur.text[0])) {
        char op = lx->cur.text[0];
        next_token(lx);
        double r = parse_power(lx);
        if (op == '*')
            v *= r;
        else if (r == 0)
            error = "division by zero";
        else if (op == '/')
            v /= r;
        else
            v = (double)((long)v % (long)r);
    }
    return v;
}

static double parse_expr(struct lexer *lx)
{
    double v = parse_term(lx);
    while (lx->cur.kind == T_OP && (lx->cur.text[0] == '+' || lx->cur.text[0] == '-')) {
        char op = lx->cur.text[0];
        next_token(lx);
        double r = parse_term(lx);
        v = op == '+' ? v + r : v - r;
    }
    return v;
}

static void run(const char *program)
{
    struct lexer lx = {program, 0, {0}};
    next_token(&lx);
    while (lx.cur.kind != T_END) {
        error = NULL;
        int start = lx.cur.pos;
        if (lx.cur.kind == T_IDENT) {
            struct lexer save = lx;
            char name[16];
            strcpy(name, lx.cur.text);
            next_token(&lx);
            if (lx.cur.kind == T_ASSIGN) {
                next_token(&lx);
                double v = parse_expr(&lx);
                if (!error)
                    *var_ref(name, 1) = v;
                printf("%s = %g%s\n", name, v, error ? " (error)" : "");
            } else {
                lx = save;
                double v = parse_expr(&lx);
                printf("%g\n", v);
            }
        } else {
            double v = parse_expr(&lx);
            if (error)
                printf("error at %d: %s\n", start, error);
            else
                printf("%g\n", v);
        }
        while (lx.cur.kind != T_SEMI && lx.cur.kind != T_END)
            next_token(&lx);
        if (lx.cur.kind == T_SEMI)
            next_token(&lx);
    }
}

int main(void)
{
    run("1 + 2 * 3; (1 + 2) * 3; 2 ^ 3 ^ 2; -4 + 10 % 4; 7 / 2");
    run("x = 5; y = x * 2 + 1; x * y; z = (x + y) / 3; z");
    run("1 / 0; (1 + 2; 3 $ 4; .5 + .25; 1e3 * 2");
    run("rate = 0.07; years = 10; amount = 1000 * (1 + rate) ^ years; amount");
    printf("variables: %d\n", nvars);
    for (int i = 0; i < nvars; i++)
        printf("  %s=%.4f\n", vars[i].name, vars[i].value);
    return 0;
}
