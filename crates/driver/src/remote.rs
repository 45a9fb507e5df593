//! `cfree run --target T` for an architecture that is not the host's: the program is
//! compiled for `T` and linked into an image in `cfree-executor` running under qemu-user,
//! whose stdin, stdout and stderr are ours; cfree exits as the program did.

use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

use cfree_executor::{ExecutorError, RemoteError, RemoteJit, RemoteOptions};

use crate::cli::{compile_all, Args, EXIT_ERROR};

pub(crate) fn run(mut a: Args) -> i32 {
    // The executor maps the image wherever the target's kernel (qemu) puts it, far from the
    // target's libc: position-independent code reaches libc through the GOT and stubs.
    a.opts.pic = true;
    let inputs = match compile_all(&a) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if let Some(f) = inputs.library_files.first() {
        eprintln!(
            "cfree: error: {}: a shared library given as a file is opened in this process, so it cannot be used with --target; pass it as -l with -L",
            f.display()
        );
        return EXIT_ERROR;
    }
    let mut opts = RemoteOptions::new(a.opts.target.arch);
    opts.libraries = inputs.libraries;
    opts.library_dirs = a.lib_dirs.clone();
    let mut args = vec![a.files[0].clone().into_os_string()];
    args.extend(a.program_args.iter().map(|s| crate::cli::osargs::decode(s)));
    let result = RemoteJit::new(opts).and_then(|mut jit| {
        jit.add_objects(inputs.objects)?;
        let status = jit.run_main(&args)?;
        jit.exit(status)
    });
    match result {
        Ok(st) | Err(RemoteError::Executor(ExecutorError::Ended(st))) => exit_like(st),
        Err(e) => {
            eprintln!("cfree: error: {e}");
            EXIT_ERROR
        }
    }
}

/// The program's exit status as ours: its code, or death by the same signal.
fn exit_like(st: ExitStatus) -> i32 {
    if let Some(code) = st.code() {
        return code;
    }
    if let Some(sig) = st.signal() {
        // SAFETY: restoring the default disposition and raising a signal at ourselves.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }
    EXIT_ERROR
}
