//! `--help` texts: the overview and one page per subcommand (doc/cfree.1 says the same at
//! length).

/// `cfree --help`.
pub(crate) const USAGE: &str = "\
cfree: C compiled straight into a live, patchable in-memory image

usage:
  cfree run [options] file.c [more.c|x.o|libx.a|libx.so ...] [program args]
  cfree dbg [options] [-x cmds] file.c [more.c ...] [-- program args]
  cfree cc [options] file.c ... [-o prog]      (gcc-compatible; -c, -E, -shared, -M...)
  cfree --help | --version | <subcommand> --help

`cfree <subcommand> --help` lists each subcommand's options; `man ./doc/cfree.1` has it all.
";

/// Options every subcommand takes.
const COMMON: &str = "\
compile options:
  -I dir  -iquote dir  -isystem dir  -idirafter dir  -nostdinc
                        header search, in gcc's order
  -include file         include file before the first line of each input
  -D name[=v]  -U name  define or undefine a macro
  -std=c89|c99|c11|c17|c23|gnu89|gnu99|gnu11|gnu17|gnu23  -ansi
                        the standard: __STDC_VERSION__, GNU extensions, // comments
  -O0 -O1 -O2 -Og -Os   optimisation (-O1 and above: Cranelift's speed level)
  -g  -g0               DWARF line and variable information, or none
  -w                    suppress warnings
  -Wall -Wextra -Wunused -Wname -Wno-name
                        gcc's warnings, named [-Wname] (format, return-type, unused-*,
                        parentheses, implicit-function-declaration, uninitialized, ...)
  -Werror -Werror=name -Wno-error=name
                        warnings as errors; #pragma GCC diagnostic works as in gcc
  -fdiagnostics-color[=always|never|auto]  -fno-diagnostics-color
                        colours (auto: when standard error is a terminal)
  -fmax-errors=N  -ferror-limit=N
                        stop reporting after N errors (default 20; 0: no limit)
  -funsigned-char -fsigned-char
                        signedness of plain char
  --target T            x86_64-linux-gnu, aarch64-linux-gnu or riscv64-linux-gnu
  -ftime-report         time per phase on stderr
  -fcache -fno-cache    the compile cache ($XDG_CACHE_HOME/cfree; CFREE_CACHE=0: off)
  @file                 read more arguments from file
  -l lib  -L dir        link a library (shared, or a static archive when no .so exists)
flags that only tune gcc's code (-fomit-frame-pointer, -march=...) are ignored with a
warning; any other unknown flag is an error.
";

/// `cfree run --help`.
pub(crate) const RUN: &str = "\
usage: cfree run [options] file.c [more.c|x.o|libx.a|libx.so ...] [program args]
       cfree run [options] - [program args]          (C from standard input)
       cfree run [options] file.c ... -- [program args]

Compiles the C files into this process's memory, links them with the objects, archives and
shared libraries given, and runs main(). After the first input, the first argument that is
not an existing .c/.i/.o/.a/.so file starts the program's arguments (as with `tcc -run`);
`--` says where they start explicitly. The program's argv[0] is its first file's name. A
file whose first line is `#!/usr/bin/env -S cfree run` runs as a script.

run options:
  -flazy                compile each function the first time it is called
  -fsyntax-only         check the program and do not run it
";

/// `cfree cc --help`.
pub(crate) const CC: &str = "\
usage: cfree cc [options] file.c|x.o|libx.a ... [-o output]

A drop-in for gcc in Makefiles. cfree compiles; linking (no -c, -E, -M or -fsyntax-only) is
done by the system's C compiler driver (`cc`, or `<target>-gcc`; $CFREE_LINKER overrides),
given cfree's position-independent objects and the link options in command-line order.

cc options:
  -c                    compile to objects (file.o, or -o)
  -E                    preprocess to stdout (or -o)
  -S                    refused: cfree writes no assembly (use -c and objdump -d)
  -fsyntax-only         diagnostics only
  -shared               link a shared library (objects are always PIC)
  -fPIC -fpic -fPIE     accepted: cfree cc's objects are position-independent anyway
  -Wl,a,b  -Xlinker a   pass options to the linker
  -static -rdynamic -pie -no-pie -s -pthread -nostdlib
                        passed to the link
  -M -MM -MD -MMD -MF file -MT target -MQ target -MP
                        make dependency rules, in gcc's format
  -x c                  the inputs are C (the only language)
  -dumpmachine -dumpversion --version
";

/// `cfree dbg --help`.
pub(crate) const DBG: &str = "\
usage: cfree dbg [options] [-x cmds] file.c [more.c ...] [-- program args]

Compiles the program with -g and stops it under a gdb-style REPL (break, run, next, step,
print, call ..., edit/reload). `-x file` runs the commands in file first. `help` in the
REPL lists the commands.
";

/// The help page for `cfree <sub> --help`.
pub(crate) fn for_subcommand(sub: &str) -> String {
    match sub {
        "run" => format!("{RUN}\n{COMMON}"),
        "cc" => format!("{CC}\n{COMMON}"),
        "dbg" => format!("{DBG}\n{COMMON}"),
        _ => USAGE.to_string(),
    }
}
