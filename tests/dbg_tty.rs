//! `cfree dbg` in a real terminal (tmux): line editing recalls history with the arrow keys,
//! Ctrl-C stops a running program (as gdb reports it: `Program received signal SIGINT`), and
//! the history persists in `$HOME/.cfree_dbg_history`, and a `jit {` block continues at a
//! `>` prompt until its closing brace.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

fn tmux(args: &[&str]) -> String {
    let o = Command::new("tmux").args(args).output().expect("tmux");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn ctrl_c_line_editing_and_history_in_a_terminal() {
    assert!(
        Command::new("tmux").arg("-V").output().is_ok(),
        "`tmux` is required by this test: install the Debian package `tmux`"
    );
    let dir = common::scratch_dir("dbg_tty");
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let src = dir.join("spin.c");
    std::fs::write(
        &src,
        "#include <stdio.h>\nvolatile long n;\nvoid spin(void) { for (;;) n++; }\n\
         int main(void) { puts(\"spinning\"); fflush(stdout); spin(); return 0; }\n",
    )
    .unwrap();
    let cfree = PathBuf::from(env!("CARGO_BIN_EXE_cfree"));
    let session = format!("cfree-dbg-{}", std::process::id());
    let socket = dir.join("tmux.sock");
    let sock = socket.to_str().unwrap();
    let cmd = format!(
        "HOME={} {} dbg {}",
        home.display(),
        cfree.display(),
        src.display()
    );
    let t = |args: &[&str]| {
        let mut v = vec!["-S", sock];
        v.extend_from_slice(args);
        tmux(&v)
    };
    t(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "120",
        "-y",
        "50",
        &cmd,
    ]);
    let wait = |what: &str| {
        let start = Instant::now();
        loop {
            let screen = t(&["capture-pane", "-t", &session, "-p", "-S", "-200"]);
            if screen.contains(what) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(20) {
                t(&["kill-server"]);
                panic!("timed out waiting for {what:?}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    // (capture-pane drops trailing blanks, so the prompt shows as `(cfree)`)
    wait("(cfree)");
    t(&["send-keys", "-t", &session, "run", "Enter"]);
    wait("spinning");
    std::thread::sleep(Duration::from_millis(300));
    t(&["send-keys", "-t", &session, "C-c"]);
    wait("Program received signal SIGINT, Interrupt.");
    t(&["send-keys", "-t", &session, "bt", "Enter"]);
    wait("in main ()");
    // Up recalls `bt`: its output appears a second time.
    t(&["send-keys", "-t", &session, "Up", "Enter"]);
    let start = Instant::now();
    let screen = loop {
        let s = t(&["capture-pane", "-t", &session, "-p", "-S", "-200"]);
        if s.matches("in main ()").count() >= 2 || start.elapsed() > Duration::from_secs(20) {
            break s;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    // Frame #0 shows its address ("0x... in spin () at") unless the interrupt landed on the
    // first instruction of a line, where gdb prints "spin () at" alone.
    assert!(screen.contains(" spin () at "), "{screen}");
    assert_eq!(screen.matches("in main ()").count(), 2, "{screen}");
    // A `jit {` block goes on at a `>` prompt until its closing brace.
    for line in ["jit {", "int tw(int x) {", "return 2 * x; }", "}"] {
        t(&["send-keys", "-t", &session, line, "Enter"]);
    }
    wait("Appended <jit-1>: tw.");
    t(&["send-keys", "-t", &session, "p tw(21)", "Enter"]);
    wait("$1 = 42");
    // Ctrl-C inside a block drops it; the session goes on.
    t(&["send-keys", "-t", &session, "jit {", "Enter"]);
    t(&[
        "send-keys",
        "-t",
        &session,
        "int never(void) { return 1; }",
        "Enter",
    ]);
    t(&["send-keys", "-t", &session, "C-c"]);
    std::thread::sleep(Duration::from_millis(200));
    t(&["send-keys", "-t", &session, "p tw(5)", "Enter"]);
    let screen = wait("$2 = 10");
    assert!(!screen.contains("Appended <jit-2>"), "{screen}");
    t(&["send-keys", "-t", &session, "kill", "Enter"]);
    wait("killed]");
    t(&["send-keys", "-t", &session, "quit", "Enter"]);
    let start = Instant::now();
    while !t(&["has-session", "-t", &session]).is_empty()
        || start.elapsed() < Duration::from_millis(200)
    {
        if start.elapsed() > Duration::from_secs(10) {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    t(&["kill-server"]);
    let hist = std::fs::read_to_string(home.join(".cfree_dbg_history")).unwrap_or_default();
    for c in ["run", "bt", "kill", "quit"] {
        assert!(hist.lines().any(|l| l == c), "history lacks {c:?}:\n{hist}");
    }
}
