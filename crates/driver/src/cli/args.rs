//! Reading the command line: gcc's conventions, which a derive-style parser cannot express
//! (flags before, between and after inputs; values attached or separate; `@file`).
//!
//! Policy for options gcc has and cfree does not act on: a flag that only tunes gcc's code
//! (`-fomit-frame-pointer`, `-march=native`) is ignored with one warning naming it, as clang
//! does; a flag whose meaning cfree already provides (`-fwrapv`: signed arithmetic wraps in
//! cfree's code anyway) is accepted quietly; anything else, in particular anything that would
//! change what the program means, is an error that names it.

use crate::pipeline::CompileOptions;
use cfree_codegen::OptLevel;
use cfree_frontend::pp::{CmdMacro, PpOptions};
use std::path::{Path, PathBuf};

/// What `cfree cc` is asked to produce.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Action {
    /// No `-c`/`-E`/`-S`: an executable, linked by the system linker.
    #[default]
    Link,
    /// `-c`: one object per input.
    Object,
    /// `-E`: preprocessed text.
    Preprocess,
    /// `-S`: assembly (refused: cfree has no assembly writer).
    Assembly,
    /// `-fsyntax-only`: diagnostics only.
    SyntaxOnly,
    /// `-M`/`-MM` without `-MD`: the dependency rule only.
    DependenciesOnly,
}

/// The `-M` family: a make rule naming the headers a unit read.
#[derive(Clone, Debug, Default)]
pub(crate) struct DepOptions {
    /// `-M`/`-MD` list system headers too; `-MM`/`-MMD` do not.
    pub(crate) system: bool,
    /// `-MD`/`-MMD`: written while compiling (to `-MF`, or next to the output as `.d`).
    pub(crate) side_effect: bool,
    /// `-MF FILE`.
    pub(crate) file: Option<PathBuf>,
    /// `-MT` (as given) and `-MQ` (quoted for make), in order; default: the object's name.
    pub(crate) targets: Vec<String>,
    /// `-MP`: a phony rule per header, so a deleted header does not break make.
    pub(crate) phony: bool,
}

/// One item of the link line, kept in command-line order (archives resolve left to right).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum LinkArg {
    /// `files[i]`: a C file (its object) or an object, archive or shared library.
    Input(usize),
    /// `-lfoo`, `-Lpath`, `-Wl,...` and the other options the linker takes.
    Flag(String),
}

#[derive(Default)]
pub(crate) struct Args {
    pub(crate) opts: CompileOptions,
    pub(crate) files: Vec<PathBuf>,
    pub(crate) libs: Vec<String>,
    pub(crate) lib_dirs: Vec<PathBuf>,
    pub(crate) program_args: Vec<String>,
    pub(crate) output: Option<PathBuf>,
    pub(crate) action: Action,
    pub(crate) deps: Option<DepOptions>,
    /// `-shared`: the link makes a shared library.
    pub(crate) shared: bool,
    pub(crate) link: Vec<LinkArg>,
    /// `-ftime-report`: print the time per phase to stderr.
    pub(crate) time_report: bool,
    /// `-fcache` / `-fno-cache`; `run` uses the compile cache unless told not to, `cc` only
    /// when told to.
    pub(crate) use_cache: Option<bool>,
    /// `-fdiagnostics-color=always|never` (`None`: auto, colour when stderr is a terminal).
    pub(crate) color: Option<bool>,
    pub(crate) is_run: bool,
    /// `-flazy`: compile each function on its first call (`run` only).
    pub(crate) lazy: bool,
    /// `--help` after the subcommand.
    pub(crate) help: bool,
    /// Warnings about the command line itself (ignored flags), each once.
    pub(crate) notes: Vec<String>,
}

impl Args {
    /// The compile cache these arguments ask for (and the environment allows).
    pub(crate) fn cache(&self) -> Option<crate::cache::Cache> {
        if self.use_cache.unwrap_or(self.is_run) {
            crate::cache::Cache::from_env()
        } else {
            None
        }
    }

    fn note(&mut self, msg: String) {
        if !self.notes.contains(&msg) {
            self.notes.push(msg);
        }
    }

    fn input(&mut self, path: &str) {
        self.link.push(LinkArg::Input(self.files.len()));
        self.files.push(os_path(path));
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    #[error("missing argument to '{0}'")]
    MissingValue(String),
    #[error("unrecognized command-line option '{0}'")]
    Unknown(String),
    #[error("unsupported option '{0}': {1}")]
    Unsupported(String, &'static str),
    #[error("invalid value '{1}' for '{0}'")]
    BadValue(String, String),
    #[error("invalid target '{0}': {1}")]
    BadTarget(String, cfree_frontend::target::TargetError),
    #[error("cannot debug code for {0} here: `cfree dbg` runs the program in this process; use `cfree run --target {0}` (qemu-user) or `cfree cc -c --target {0}`")]
    NotRunnable(&'static str),
    #[error("no input files")]
    NoInput,
    #[error("{0}: @file nesting too deep")]
    ResponseDepth(String),
}

/// Options that take a value, attached (`-Idir`) or as the next argument (`-I dir`).
const WITH_VALUE: &[&str] = &[
    "-I", "-D", "-U", "-l", "-L", "-o", "-x", "-MF", "-MT", "-MQ",
];
/// The same, spelled as words (`-include FILE`; gcc also takes `-isystemDIR`).
const SEPARATE_VALUE: &[&str] = &["-include", "-isystem", "-iquote", "-idirafter", "-Xlinker"];

/// `-f` flags whose effect cfree's code already has; accepted without a word.
const F_SATISFIED: &[&str] = &[
    "wrapv",              // signed arithmetic wraps in cfree's code
    "no-strict-overflow", // the same
    "no-strict-aliasing", // cfree does no type-based alias analysis
    "no-delete-null-pointer-checks",
    "no-common", // a tentative definition is a definition (gcc 10's default)
    "PIC",
    "pic",
    "PIE",
    "pie",
    "no-pic",
    "no-PIC",
    "no-pie",
    "no-PIE",
    "signed-zeros",
    "math-errno",
    "trapping-math",
];

/// `-f` flags that only tune gcc's code generation (`no-` forms included): ignored, with a
/// warning once.
const F_TUNING: &[&str] = &[
    "omit-frame-pointer",
    "strict-aliasing",
    "inline",
    "inline-functions",
    "inline-small-functions",
    "unroll-loops",
    "unroll-all-loops",
    "peel-loops",
    "stack-protector",
    "stack-protector-strong",
    "stack-protector-all",
    "stack-clash-protection",
    "cf-protection",
    "function-sections",
    "data-sections",
    "asynchronous-unwind-tables",
    "unwind-tables",
    "ident",
    "lto",
    "fat-lto-objects",
    "fast-math",
    "finite-math-only",
    "tree-vectorize",
    "vectorize",
    "optimize-sibling-calls",
    "strict-overflow",
    "plt",
    "semantic-interposition",
    "merge-constants",
    "align-functions",
    "align-loops",
    "align-jumps",
    "gcse",
    "schedule-insns",
    "schedule-insns2",
    "prefetch-loop-arrays",
    "reorder-blocks",
    "builtin",
    "stack-check",
    "record-gcc-switches",
    "keep-inline-functions",
    "jump-tables",
    "exceptions",
    "diagnostics-show-option",
    "diagnostics-show-caret",
    "show-column",
    "visibility-inlines-hidden",
    "var-tracking",
    "var-tracking-assignments",
];

/// The `-f` flags that take `=value` and only tune gcc's output or messages.
const F_TUNING_VALUE: &[&str] = &[
    "stack-protector",
    "cf-protection",
    "lto",
    "debug-prefix-map",
    "macro-prefix-map",
    "file-prefix-map",
    "message-length",
    "align-functions",
    "align-loops",
    "align-jumps",
    "visibility",
    "stack-clash-protection",
    "ident",
    "inline-limit",
];

/// `-m` flags that only tune for a processor: ignored, with a warning once.
fn is_m_tuning(flag: &str) -> bool {
    let f = flag.strip_prefix("no-").unwrap_or(flag);
    f.starts_with("arch=")
        || f.starts_with("tune=")
        || f.starts_with("cpu=")
        || f.starts_with("fpmath=")
        || f.starts_with("sse")
        || f.starts_with("avx")
        || f.starts_with("bmi")
        || matches!(
            f,
            "fma"
                | "popcnt"
                | "aes"
                | "pclmul"
                | "lzcnt"
                | "movbe"
                | "f16c"
                | "stackrealign"
                | "red-zone"
                | "ieee-fp"
                | "mmx"
                | "3dnow"
                | "crc32"
                | "vzeroupper"
        )
}

/// `@file` arguments replaced by the file's words (gcc's quoting: '', "", backslash); an
/// unreadable `@name` stays as it is, as in gcc.
pub(crate) fn expand_response_files(argv: &[String]) -> Result<Vec<String>, CliError> {
    fn go(argv: &[String], depth: usize, out: &mut Vec<String>) -> Result<(), CliError> {
        for a in argv {
            let Some(name) = a.strip_prefix('@').filter(|n| !n.is_empty()) else {
                out.push(a.clone());
                continue;
            };
            match std::fs::read_to_string(name) {
                Ok(text) if depth < 16 => go(&split_words(&text), depth + 1, out)?,
                Ok(_) => return Err(CliError::ResponseDepth(name.to_string())),
                Err(_) => out.push(a.clone()),
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    go(argv, 0, &mut out)?;
    Ok(out)
}

/// Words of a response file: whitespace separates, quotes group, backslash escapes.
pub(crate) fn split_words(text: &str) -> Vec<String> {
    let (mut words, mut cur, mut in_word) = (Vec::new(), String::new(), false);
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, quote) {
            ('\\', _) => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                in_word = true;
            }
            (q, Some(open)) if q == open => quote = None,
            (_, Some(_)) => cur.push(c),
            ('\'' | '"', None) => {
                quote = Some(c);
                in_word = true;
            }
            (c, None) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            _ => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// Whether `arg` names an input `cfree run` compiles or links (so it is not yet a program
/// argument): an existing file that is C, an object, an archive or a shared library.
fn is_run_input(arg: &str) -> bool {
    let path = os_path(arg);
    let p = path.as_path();
    let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
    let so = arg.contains(".so");
    (matches!(ext, "c" | "i" | "o" | "a" | "so") || so) && p.is_file()
}

pub(crate) fn parse_args(argv: &[String], is_run: bool) -> Result<Args, CliError> {
    let argv = expand_response_files(argv)?;
    let mut a = Args {
        is_run,
        ..Args::default()
    };
    let dashdash = argv.iter().position(|x| x == "--");
    let mut i = 0;
    while i < argv.len() {
        let arg = argv[i].as_str();
        if arg == "--" {
            a.program_args.extend(argv[i + 1..].iter().cloned());
            break;
        }
        // `cfree run f.c args...`: after the first input, the first argument that is not
        // another input starts the program's arguments (unless a `--` says where they do).
        if is_run && !a.files.is_empty() && dashdash.is_none() && !is_run_input(arg) {
            a.program_args.extend(argv[i..].iter().cloned());
            break;
        }
        if !arg.starts_with('-') || arg == "-" {
            a.input(arg);
            // A script (`#!` first line) takes everything after it as its own arguments.
            if is_run && a.files.len() == 1 && starts_with_shebang(&os_path(arg)) {
                a.program_args.extend(argv[i + 1..].iter().cloned());
                break;
            }
            i += 1;
            continue;
        }
        i = option(&mut a, &argv, i)?;
    }
    if a.files.is_empty() && !a.help {
        return Err(CliError::NoInput);
    }
    a.opts.diagnostics_color = a.color.unwrap_or_else(stderr_is_a_color_terminal);
    Ok(a)
}

/// Reads the option at `argv[i]`; returns the index of the next argument.
pub(crate) fn option(a: &mut Args, argv: &[String], i: usize) -> Result<usize, CliError> {
    let arg = argv[i].as_str();
    let next = |flag: &str| {
        argv.get(i + 1)
            .cloned()
            .ok_or_else(|| CliError::MissingValue(flag.to_string()))
    };
    // No valued flag is a prefix of a flag without a value (`-MF` is not one of `-MD`).
    let valued_flag = WITH_VALUE
        .iter()
        .chain(SEPARATE_VALUE)
        .filter(|f| arg.starts_with(**f))
        .max_by_key(|f| f.len());
    if let Some(flag) = valued_flag {
        if arg.len() > flag.len() {
            valued(a, flag, arg[flag.len()..].to_string())?;
            return Ok(i + 1);
        }
        valued(a, flag, next(flag)?)?;
        return Ok(i + 2);
    }
    if let Some(w) = arg.strip_prefix("-Wl,") {
        a.link
            .extend(w.split(',').map(|x| LinkArg::Flag(format!("-Wl,{x}"))));
        return Ok(i + 1);
    }
    if arg == "--target" || arg == "-target" {
        set_target(a, &next(arg)?)?;
        return Ok(i + 2);
    }
    flag(a, arg)?;
    Ok(i + 1)
}

/// A path argument, with the bytes it had on the command line (`osargs`).
fn os_path(arg: &str) -> PathBuf {
    PathBuf::from(super::osargs::decode(arg))
}

/// An option with its value.
fn valued(a: &mut Args, flag: &str, v: String) -> Result<(), CliError> {
    match flag {
        "-I" => a.opts.include_dirs.push(os_path(&v)),
        "-D" => a.opts.macros.push(CmdMacro::define(&v)),
        "-U" => a.opts.macros.push(CmdMacro::Undef(v)),
        "-l" => {
            a.link.push(LinkArg::Flag(format!("-l{v}")));
            a.libs.push(v);
        }
        "-L" => {
            a.link.push(LinkArg::Flag(format!("-L{v}")));
            a.lib_dirs.push(os_path(&v));
        }
        "-o" => a.output = Some(os_path(&v)),
        "-x" => match v.as_str() {
            // Every input that is not an object, archive or library is C already.
            "c" | "none" => {}
            _ => {
                return Err(CliError::Unsupported(
                    format!("-x {v}"),
                    "cfree compiles only C",
                ))
            }
        },
        "-include" => a.opts.forced_includes.push(v),
        "-isystem" => a.opts.isystem_dirs.push(os_path(&v)),
        "-iquote" => a.opts.quote_dirs.push(os_path(&v)),
        "-idirafter" => a.opts.idirafter_dirs.push(os_path(&v)),
        "-Xlinker" => a.link.push(LinkArg::Flag(format!("-Wl,{v}"))),
        "-MF" => deps(a).file = Some(os_path(&v)),
        "-MT" => deps(a).targets.push(v),
        "-MQ" => deps(a).targets.push(crate::cli::deps::quote_target(&v)),
        _ => return Err(CliError::Unknown(flag.to_string())),
    }
    Ok(())
}

fn deps(a: &mut Args) -> &mut DepOptions {
    a.deps.get_or_insert_with(DepOptions::default)
}

fn set_target(a: &mut Args, name: &str) -> Result<(), CliError> {
    a.opts.target = cfree_frontend::TargetInfo::from_name(name)
        .map_err(|e| CliError::BadTarget(name.to_string(), e))?;
    Ok(())
}

/// An option without a value.
/// gcc's `-fdiagnostics-color=auto`: standard error is a terminal that is not `dumb`.
fn stderr_is_a_color_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// `-fmax-errors=N` / clang's `-ferror-limit=N`.
fn error_limit(a: &mut Args, arg: &str, value: &str) -> Result<(), CliError> {
    let flag = arg.split('=').next().unwrap_or(arg);
    a.opts.max_errors = value
        .parse()
        .map_err(|_| CliError::BadValue(flag.to_string(), value.to_string()))?;
    Ok(())
}

fn flag(a: &mut Args, arg: &str) -> Result<(), CliError> {
    if let Some(v) = arg
        .strip_prefix("-fmax-errors=")
        .or_else(|| arg.strip_prefix("-ferror-limit="))
    {
        return error_limit(a, arg, v);
    }
    match arg {
        "-fdiagnostics-color" | "-fdiagnostics-color=always" => a.color = Some(true),
        "-fno-diagnostics-color" | "-fdiagnostics-color=never" => a.color = Some(false),
        "-fdiagnostics-color=auto" => a.color = None,
        "-c" => a.action = Action::Object,
        "-E" => a.action = Action::Preprocess,
        "-S" => a.action = Action::Assembly,
        "-fsyntax-only" => a.action = Action::SyntaxOnly,
        "--help" | "-help" => a.help = true,
        "-ftime-report" => a.time_report = true,
        "-fcache" => a.use_cache = Some(true),
        "-fno-cache" => a.use_cache = Some(false),
        "-flazy" if a.is_run => a.lazy = true,
        "-flazy" => {
            return Err(CliError::Unsupported(
                "-flazy".into(),
                "only `cfree run` compiles lazily",
            ))
        }
        "-g" | "-g1" | "-g2" | "-g3" | "-ggdb" | "-ggdb3" | "-gdwarf" | "-gdwarf-4"
        | "-gdwarf-5" => a.opts.debug = true,
        "-g0" => a.opts.debug = false,
        "-w" => a.opts.no_warnings = true,
        "-O0" => a.opts.opt_level = OptLevel::None,
        // -Og asks for code that debugs like -O0's.
        "-Og" => a.opts.opt_level = OptLevel::None,
        "-O" | "-O1" | "-O2" | "-O3" | "-Os" | "-Oz" | "-Ofast" => {
            a.opts.opt_level = OptLevel::Speed
        }
        "-ansi" => set_std(a, "c90")?,
        _ if arg.starts_with("--target=") => set_target(a, &arg["--target=".len()..])?,
        _ if arg.starts_with("-std=") => set_std(a, &arg[5..])?,
        "-pthread" => {
            // gcc's -pthread: `_REENTRANT` for the compile, libpthread for the link.
            a.opts.macros.push(CmdMacro::define("_REENTRANT"));
            a.link.push(LinkArg::Flag("-pthread".into()));
        }
        "-shared" => {
            a.shared = true;
            a.opts.interposable = true;
            a.link.push(LinkArg::Flag(arg.into()));
        }
        "-static" | "-rdynamic" | "-pie" | "-no-pie" | "-s" | "-nostdlib" | "-nostartfiles"
        | "-nodefaultlibs" | "-static-libgcc" => {
            if a.is_run {
                a.note(format!("'{arg}' has no effect on 'cfree run' (nothing is linked to a file) [-Wunused-command-line-argument]"));
            }
            a.link.push(LinkArg::Flag(arg.into()));
        }
        "-M" | "-MM" => {
            let d = deps(a);
            d.system = arg == "-M";
            if !d.side_effect {
                a.action = Action::DependenciesOnly;
            }
        }
        "-MD" | "-MMD" => {
            let d = deps(a);
            d.system = arg == "-MD";
            d.side_effect = true;
            if a.action == Action::DependenciesOnly {
                a.action = Action::Link;
            }
        }
        "-MP" => deps(a).phony = true,
        "-MG" => {
            return Err(CliError::Unsupported(
                arg.into(),
                "missing headers are errors, not generated files",
            ))
        }
        "-pipe" | "-pedantic" | "-pedantic-errors" => {}
        "-m64" if a.opts.target.arch.multiarch().starts_with("x86_64") => {}
        // gcc's old name for -Wextra.
        "-W" => warning_option(a, arg, "extra")?,
        _ if arg.starts_with("-Wa,") => a.note(format!(
            "ignoring '{arg}': cfree has no assembler step [-Wunused-command-line-argument]"
        )),
        _ if arg.starts_with("-Wp,") => {
            return Err(CliError::Unsupported(
                arg.into(),
                "pass preprocessor options directly (-D, -I, -MD ...)",
            ))
        }
        _ if arg.starts_with("-W") => warning_option(a, arg, &arg[2..])?,
        _ if arg.starts_with("-f") => f_flag(a, arg)?,
        _ if arg.starts_with("-m") && is_m_tuning(&arg[2..]) => a.note(format!(
            "ignoring '{arg}': it only tunes the code for a processor [-Wunused-command-line-argument]"
        )),
        "-nostdinc" => a.opts.no_std_include = true,
        "-v" => eprintln!("cfree version {}", env!("CARGO_PKG_VERSION")),
        _ => return Err(CliError::Unknown(arg.to_string())),
    }
    Ok(())
}

/// `-Wall`, `-Wno-unused`, `-Werror=format`...: see `cfree_frontend::warnings`.
fn warning_option(a: &mut Args, arg: &str, opt: &str) -> Result<(), CliError> {
    a.opts
        .warnings
        .apply(opt)
        .map_err(|_| CliError::Unknown(arg.to_string()))
}

fn f_flag(a: &mut Args, arg: &str) -> Result<(), CliError> {
    let name = &arg[2..];
    if matches!(name, "PIC" | "pic" | "PIE" | "pie") {
        a.opts.pic = true;
        a.opts.interposable = matches!(name, "PIC" | "pic");
    }
    if F_SATISFIED.contains(&name) {
        return Ok(());
    }
    let bare = name.strip_prefix("no-").unwrap_or(name);
    let tuning = F_TUNING.contains(&bare)
        || bare
            .split_once('=')
            .is_some_and(|(k, _)| F_TUNING_VALUE.contains(&k));
    if tuning {
        a.note(format!(
            "ignoring '{arg}': it only tunes gcc's code or messages [-Wignored-optimization-argument]"
        ));
        return Ok(());
    }
    match name {
        "unsigned-char" | "signed-char" | "no-signed-char" | "no-unsigned-char" => {
            // Plain char's signedness has one home, the target model; gcc's flag overrides
            // the ABI's choice the same way.
            a.opts.target.char_signed = matches!(name, "signed-char" | "no-unsigned-char");
            Ok(())
        }
        _ => Err(CliError::Unknown(arg.to_string())),
    }
}

/// `-std=`: the `__STDC_VERSION__`, GNU extensions and `//` comments of that standard.
fn set_std(a: &mut Args, std: &str) -> Result<(), CliError> {
    let (gnu, ver) = match std {
        "c89" | "c90" | "iso9899:1990" => (false, PpOptions::C90),
        "iso9899:199409" => (false, 199409),
        "gnu89" | "gnu90" => (true, PpOptions::C90),
        "c99" | "c9x" | "iso9899:1999" => (false, 199901),
        "gnu99" | "gnu9x" => (true, 199901),
        "c11" | "c1x" | "iso9899:2011" => (false, 201112),
        "gnu11" | "gnu1x" => (true, 201112),
        "c17" | "c18" | "iso9899:2017" | "iso9899:2018" => (false, 201710),
        "gnu17" | "gnu18" => (true, 201710),
        "c2x" | "c23" => (false, 202311),
        "gnu2x" | "gnu23" => (true, 202311),
        _ => return Err(CliError::BadValue("-std".into(), std.into())),
    };
    a.opts.gnu = gnu;
    a.opts.std_version = Some(ver);
    Ok(())
}

fn starts_with_shebang(p: &Path) -> bool {
    use std::io::Read;
    let mut buf = [0u8; 2];
    std::fs::File::open(p)
        .and_then(|mut f| f.read_exact(&mut buf))
        .is_ok()
        && &buf == b"#!"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str, run: bool) -> Result<Args, CliError> {
        parse_args(
            &s.split_whitespace().map(String::from).collect::<Vec<_>>(),
            run,
        )
    }

    #[test]
    fn response_file_words_follow_gcc_quoting() {
        assert_eq!(
            split_words("-DA='x y' \"-I a b\"\n-DB=\\\"q\\\"  c.c"),
            ["-DA=x y", "-I a b", "-DB=\"q\"", "c.c"]
        );
    }

    #[test]
    fn dependency_flags_do_not_take_values() {
        let a = args("-c -MMD -MP -MF out.d -MT t.o x.c", false).unwrap_or_else(|e| panic!("{e}"));
        let d = a.deps.unwrap_or_default();
        assert!(d.side_effect && d.phony && !d.system);
        assert_eq!(d.file, Some(PathBuf::from("out.d")));
        assert_eq!(d.targets, ["t.o"]);
        assert_eq!(a.action, Action::Object);
        assert_eq!(a.files, [PathBuf::from("x.c")]);
    }

    #[test]
    fn meaning_changing_flags_are_errors_and_tuning_flags_notes() {
        assert!(matches!(
            args("-fshort-enums x.c", false),
            Err(CliError::Unknown(_))
        ));
        assert!(matches!(args("-m32 x.c", false), Err(CliError::Unknown(_))));
        let a = args("-fomit-frame-pointer -march=native -fwrapv x.c", false)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.notes.len(), 2, "{:?}", a.notes);
    }

    #[test]
    fn std_c89_has_no_stdc_version_and_no_line_comments() {
        let a = args("-std=c89 x.c", false).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.opts.std_version, Some(PpOptions::C90));
        assert!(!a.opts.gnu);
    }
}
