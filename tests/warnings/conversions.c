/* Default-on warnings: -Wimplicit-function-declaration, -Wint-conversion,
   -Wincompatible-pointer-types, -Wdiscarded-qualifiers; -Wpointer-sign with -Wall;
   -Wparentheses. */
void takes_int_ptr(int *p);
void takes_char_ptr(char *p);
int *returns_ptr(void) { return 0; }

int conv(int i, char *c, const char *cc, unsigned char *uc, long *lp) {
  int *ip = c;
  char *cp = 5;
  int n = c;
  char *ok = 0;
  void *vp = c;
  int *from_void = vp;
  takes_int_ptr(c);
  takes_char_ptr(cc);
  takes_char_ptr(uc);
  ip = lp;
  cp = cc;
  undeclared(i);
  return n + *ip + *cp + *ok + *from_void;
}

int parens(int a, int b, int c) {
  int r = 0;
  if (a = b) r++;
  if ((a = b)) r++;
  while (a = 0) r++;
  if (a && b || c) r++;
  if ((a && b) || c) r++;
  if (a || b && c) r++;
  if (a < b < c) r++;
  if (a == b == c) r++;
  r += a << b + 1;
  r += a << (b + 1);
  r += a >> b - 1;
  r += a & b == c;
  r += a | b + c;
  r += a ^ b - c;
  r += a & b + c;
  r += (a & b) | c;
  r += a + b * c;
  r = a = b;
  return r ? a = 1 : 0;
}
