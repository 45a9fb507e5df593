//! A gcc-style option string for an embedded JIT (the C API's `cfree_jit_set_options`), read
//! by the same code as the command line so `-I`, `-D`, `-U`, `-O`, `-g`, `-std=`, `-w` and
//! every `-W` option mean exactly what they mean to `cfree run` and `cfree cc`.
//!
//! The string is split into words as a shell would (quotes group, backslash escapes). Only
//! options that change how later code is compiled or which libraries it can use are accepted:
//! inputs and the options that choose an output, a target or a mode of the command (`-c`,
//! `-o`, `-M`, `-shared`, `--target`, `-flazy`, ...) are errors naming the option, since an
//! embedding has no output file and its target was fixed when it was created.

use std::path::PathBuf;

use super::args::{option, split_words, Action, Args, LinkArg};
use crate::pipeline::CompileOptions;

/// The options of one `cfree_jit_set_options` string applied on top of a JIT's current ones.
#[derive(Clone, Debug)]
pub struct JitCommandLine {
    /// The compile options with the string's `-I -D -U -O -g -std= -w -W -f` applied.
    pub opts: CompileOptions,
    /// `-l` names, in order: libraries later code may use.
    pub libraries: Vec<String>,
    /// `-L` directories, in order: searched for libraries named from now on.
    pub library_dirs: Vec<PathBuf>,
    /// Warnings about the options themselves (flags that only tune gcc's code, ignored).
    pub notes: Vec<String>,
}

/// Reads `text` as options applied after `base`. An error names the option it is about and
/// says why; nothing of `base` changes either way (the result is a new value).
pub fn parse_jit_options(text: &str, base: &CompileOptions) -> Result<JitCommandLine, String> {
    let words = split_words(text);
    let mut a = Args {
        opts: base.clone(),
        ..Args::default()
    };
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        if !word.starts_with('-') || word == "-" {
            return Err(format!(
                "'{word}' is not an option (add files with cfree_jit_add_file)"
            ));
        }
        if word == "-v" {
            return Err(not_for_jit(word));
        }
        let next = option(&mut a, &words, i).map_err(|e| e.to_string())?;
        if !meaningful_for_jit(&a, base) {
            return Err(not_for_jit(&words[i..next].join(" ")));
        }
        i = next;
    }
    Ok(JitCommandLine {
        opts: a.opts,
        libraries: a.libs,
        library_dirs: a.lib_dirs,
        notes: a.notes,
    })
}

fn not_for_jit(option: &str) -> String {
    format!("unsupported option '{option}': it has no meaning for a JIT (no output file, the target is fixed when the JIT is created)")
}

/// Whether everything read so far only changes compiles and library lookups.
fn meaningful_for_jit(a: &Args, base: &CompileOptions) -> bool {
    let link_ok = a.link.iter().all(|l| match l {
        LinkArg::Flag(f) => f.starts_with("-l") || f.starts_with("-L") || f == "-pthread",
        LinkArg::Input(_) => false,
    });
    link_ok
        && a.action == Action::Link
        && a.output.is_none()
        && a.deps.is_none()
        && !a.shared
        && !a.help
        && !a.time_report
        && !a.lazy
        && a.use_cache.is_none()
        && a.files.is_empty()
        && a.opts.target.arch == base.target.arch
}

#[cfg(test)]
mod tests {
    use super::*;
    use cfree_frontend::pp::CmdMacro;

    fn parse(s: &str) -> Result<JitCommandLine, String> {
        parse_jit_options(s, &CompileOptions::default())
    }

    #[test]
    fn quoted_words_and_every_compile_option() {
        let c = parse(
            r#"-I "/a b" -DX='1 + 2' -DY -UZ -O2 -g -std=c99 -w -Wall -Werror=format -L/l -lm"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.opts.include_dirs, [PathBuf::from("/a b")]);
        assert_eq!(
            c.opts.macros,
            [
                CmdMacro::define("X=1 + 2"),
                CmdMacro::define("Y"),
                CmdMacro::Undef("Z".into())
            ]
        );
        assert!(c.opts.debug && c.opts.no_warnings && !c.opts.gnu);
        assert_eq!(c.opts.std_version, Some(199901));
        assert_eq!(c.libraries, ["m"]);
        assert_eq!(c.library_dirs, [PathBuf::from("/l")]);
    }

    #[test]
    fn inputs_outputs_and_unknown_options_name_themselves() {
        for (s, needle) in [
            ("-O2 -fno-such-thing", "-fno-such-thing"),
            ("x.c", "'x.c'"),
            ("-c", "'-c'"),
            ("-o out", "'-o out'"),
            ("-shared", "'-shared'"),
            ("-Wl,-z,now", "-Wl,-z"),
            ("-std=c77", "c77"),
            ("-Wbogus-warning", "-Wbogus-warning"),
            ("-I", "'-I'"),
            ("--target aarch64-linux-gnu", "--target"),
        ] {
            match parse(s) {
                Ok(_) => panic!("{s} accepted"),
                Err(e) => assert!(e.contains(needle), "{s}: {e}"),
            }
        }
    }
}
