//! `cfree dbg`: the debugger's REPL front end (command parsing, line editing, printing in
//! gdb's shapes). The engine is `cfree_dbg`; this file only talks to it.
//!
//! The program is compiled with `-g`, linked into a reloadable image behind the debugger's
//! start routine (`cfree_dbg::runtime`), and started on a worker thread by `run`.
//! Commands come from `-x FILE`, then from the terminal (rustyline: line editing, history in
//! `~/.cfree_dbg_history`) or, when stdin is not a terminal, from stdin line by line.

use crate::pipeline::{self, CompileOptions, Prototype, Source};
use cfree_dbg::arch::Registers;
use cfree_dbg::inferior::worker_tid;
use cfree_dbg::{BreakSpec, Engine, Outcome, Stop};
use cfree_jit::crash::signal_abbrev as sig_name;
use cfree_jit::Jit;
use cfree_link::{Indirection, LinkInput};
use std::io::BufRead;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the SIGINT handler while the program runs.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
    cfree_dbg::inferior::interrupt_program();
}

/// An expression compiled into the image, kept for the next evaluation with the same text,
/// file scope and frame variables (conditions and displays are evaluated at every stop).
#[derive(Clone)]
struct CompiledExpr {
    /// The function that evaluates it, given the variables' addresses.
    func: u64,
    /// Where it leaves the value, and the value's type (`None`: evaluated for effect).
    result: Option<cfree_dbg::vars::Place>,
}

/// One change the session made to the image (see `Session::history`).
#[derive(Clone, Copy)]
enum Change {
    Reload,
    Snippet,
}

/// What `cfree dbg` was started with.
pub struct DbgArgs {
    pub opts: CompileOptions,
    pub files: Vec<PathBuf>,
    pub libs: Vec<String>,
    pub lib_dirs: Vec<PathBuf>,
    pub program_args: Vec<String>,
    pub scripts: Vec<PathBuf>,
}

struct Session {
    args: DbgArgs,
    /// The program's compiled units (kept to build a fresh image for every `run`).
    objects: Vec<(String, Vec<u8>)>,
    prototypes: Vec<Prototype>,
    /// The source file defining each function (what `reload NAME` recompiles).
    defined_in: std::collections::HashMap<String, PathBuf>,
    /// The hash of each function's source text when it was last compiled (`reload` with no
    /// name reloads the ones whose text changed).
    hashes: std::collections::HashMap<String, u64>,
    /// Reloads done so far, re-applied to the fresh image of a later `run`.
    reloads: Vec<(String, String, Vec<u8>)>,
    /// `jit { }` snippets so far: (name, context file, object), appended again to the fresh
    /// image of a later `run`.
    snippets: Vec<(String, String, Vec<u8>)>,
    /// The order in which reloads and snippets changed the image.
    history: Vec<Change>,
    /// Compiled expressions by (file scope, frame variables, text, printed), valid until the
    /// image or a scope changes.
    exprs: std::collections::HashMap<(PathBuf, String, String, bool), CompiledExpr>,
    /// The text of the reload bodies typed at the prompt, by unit name, numbered as their
    /// line tables number it (what `list` and stops show; `jit` blocks are in `kept_texts`).
    typed: std::collections::HashMap<String, String>,
    /// The thread of the last stop reported (`[Switching to LWP N]` when it changes).
    last_tid: Option<i32>,
    /// The analysed leading block of each program file reloaded from its text.
    prefixes: std::collections::HashMap<PathBuf, pipeline::FilePrefix>,
    /// The open scope of each program file snippets and expressions were compiled in.
    scopes: std::collections::HashMap<PathBuf, pipeline::UnitScope>,
    /// The text of every `jit { }` snippet kept so far (name, text): part of every scope,
    /// also of one opened (or re-read after an edit) later.
    kept_texts: Vec<(String, String)>,
    runtime: Vec<u8>,
    jit: Jit,
    engine: Engine,
    /// Value history (`$1`, `$2`, ...).
    values: Vec<String>,
    /// `display` expressions, shown after every stop.
    /// `display` expressions, each with the function whose locals it uses (shown only while
    /// that function is the selected frame's, as gdb ties a display to its block).
    /// Numbered as gdb numbers them (a number is never reused).
    displays: Vec<(usize, String, Option<String>)>,
    displays_made: usize,
    /// `break ... if COND`: the condition of each breakpoint that has one.
    conditions: std::collections::HashMap<u32, String>,
    /// Evaluating for the debugger itself (conditions): no output, the value kept here.
    quiet: bool,
    last_value: Option<String>,
    /// Where a bare `list` continues: (file, last line shown).
    list_next: Option<(String, u32)>,
    /// The frame `up`/`down`/`frame` selected (0 after every stop).
    selected: usize,
    /// The image has been run (a new `run` needs a fresh one: globals start over).
    ran: bool,
    quit: bool,
}

pub fn main(args: DbgArgs) -> i32 {
    let mut objects = Vec::new();
    let mut prototypes = Vec::new();
    let mut defined_in = std::collections::HashMap::new();
    let mut hashes = std::collections::HashMap::new();
    let mut opts = args.opts.clone();
    opts.debug = true;
    for f in &args.files {
        match pipeline::compile(&Source::File(f), &opts) {
            Ok(c) => {
                eprint!("{}", c.warnings);
                hashes.extend(c.function_hashes.iter().cloned());
                for p in c.prototypes.iter().filter(|p| p.defined) {
                    defined_in.insert(p.name.clone(), f.clone());
                }
                prototypes.extend(c.prototypes.into_iter().filter(|p| p.defined));
                objects.push((f.display().to_string(), c.object));
            }
            Err(e) => {
                eprint!("{e}");
                return 1;
            }
        }
    }
    let runtime = match pipeline::compile(
        &Source::Text {
            name: cfree_dbg::runtime::FILE,
            text: cfree_dbg::runtime::SOURCE,
        },
        &CompileOptions::default(),
    ) {
        Ok(c) => c.object,
        Err(e) => {
            eprintln!("cfree: internal error: the debugger runtime does not compile:\n{e}");
            return 1;
        }
    };
    let jit = match new_image(&args, &objects, &runtime) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("cfree: error: {e}");
            return 1;
        }
    };
    let mut s = Session {
        args,
        objects,
        prototypes,
        defined_in,
        hashes,
        reloads: Vec::new(),
        snippets: Vec::new(),
        history: Vec::new(),
        exprs: std::collections::HashMap::new(),
        scopes: std::collections::HashMap::new(),
        prefixes: std::collections::HashMap::new(),
        last_tid: None,
        typed: std::collections::HashMap::new(),
        kept_texts: Vec::new(),
        runtime,
        jit,
        engine: Engine::new(),
        values: Vec::new(),
        list_next: None,
        displays: Vec::new(),
        displays_made: 0,
        conditions: std::collections::HashMap::new(),
        quiet: false,
        last_value: None,
        selected: 0,
        ran: false,
        quit: false,
    };
    s.engine.load_source(&s.jit);
    s.repl();
    0
}

/// A fresh image: the debugger runtime first, then the program with its `exit` bound to the
/// runtime's.
fn new_image(args: &DbgArgs, objects: &[(String, Vec<u8>)], runtime: &[u8]) -> Result<Jit, String> {
    let opts = cfree_jit::JitOptions {
        libraries: args.libs.clone(),
        library_dirs: args.lib_dirs.clone(),
        indirection: Indirection::ExportedFuncs,
        ..Default::default()
    };
    let mut jit = Jit::new(opts).map_err(|e| e.to_string())?;
    jit.add_objects(vec![LinkInput::new(
        cfree_dbg::runtime::FILE,
        runtime.to_vec(),
    )])
    .map_err(|e| e.to_string())?;
    let exit = jit
        .lookup(cfree_dbg::runtime::EXIT)
        .ok_or("runtime has no exit")?;
    let quick = jit
        .lookup(cfree_dbg::runtime::QUICK_EXIT)
        .ok_or("runtime has no _exit")?;
    // Threads the program makes are the program's: their stops are debugged too.
    jit.add_symbol(
        "pthread_create",
        cfree_dbg::inferior::program_pthread_create as *const u8,
    );
    jit.add_symbol("exit", exit);
    jit.add_symbol("_exit", quick);
    jit.add_symbol("_Exit", quick);
    let inputs = objects
        .iter()
        .map(|(n, b)| LinkInput::new(n.clone(), b.clone()))
        .collect();
    jit.add_objects(inputs).map_err(|e| e.to_string())?;
    Ok(jit)
}

/// One function compiled for a reload: its file compiled with only the function emitted.
struct Recompiled {
    name: String,
    /// The source file, as the input's name.
    file: String,
    object: Vec<u8>,
    /// The function's source-text hash, recorded once the reload succeeds.
    hash: Option<u64>,
}

impl Session {
    fn repl(&mut self) {
        for script in self.args.scripts.clone() {
            match std::fs::read_to_string(&script) {
                Ok(text) => {
                    let mut lines = text.lines().map(str::to_string);
                    while let Some(l) = lines.next() {
                        let l = self.read_block(l, &mut lines);
                        self.command(&l);
                        if self.quit {
                            return self.end();
                        }
                    }
                }
                Err(e) => println!("{}: {e}.", script.display()),
            }
        }
        // SAFETY: isatty on fd 0.
        if unsafe { libc::isatty(0) } == 1 {
            self.interactive();
        } else {
            let stdin = std::io::stdin();
            let mut lines = stdin.lock().lines().map_while(Result::ok);
            while let Some(l) = lines.next() {
                let l = self.read_block(l, &mut lines);
                self.command(&l);
                if self.quit {
                    break;
                }
            }
        }
        self.end();
    }

    fn interactive(&mut self) {
        let Ok(mut rl) = rustyline::DefaultEditor::new() else {
            return;
        };
        let hist = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cfree_dbg_history"));
        if let Some(h) = &hist {
            let _ = rl.load_history(h);
        }
        let mut last = String::new();
        loop {
            match rl.readline("(cfree) ") {
                Ok(line) => {
                    let line = if line.trim().is_empty() {
                        last.clone()
                    } else {
                        line
                    };
                    let Some(line) = Self::read_block_interactive(&mut rl, line) else {
                        continue;
                    };
                    if !line.trim().is_empty() {
                        let _ = rl.add_history_entry(line.as_str());
                    }
                    self.command(&line);
                    last = line;
                    if self.quit {
                        break;
                    }
                }
                Err(rustyline::error::ReadlineError::Interrupted) => println!("Quit"),
                Err(_) => break,
            }
        }
        if let Some(h) = &hist {
            let _ = rl.save_history(h);
        }
    }

    /// On a terminal, a command that opens a brace (`jit {`) goes on at a `>` prompt until
    /// the matching `}`; Ctrl-C there drops the block, as end of input does.
    fn read_block_interactive(rl: &mut rustyline::DefaultEditor, first: String) -> Option<String> {
        let mut text = first;
        while brace_depth(&text) > 0 {
            match rl.readline(">") {
                Ok(l) => {
                    text.push('\n');
                    text.push_str(&l);
                }
                Err(rustyline::error::ReadlineError::Interrupted) => {
                    println!("Quit");
                    return None;
                }
                Err(_) => {
                    println!("The block opened by \"{}\" is not closed before the end of the input; ignored.", first_line(&text));
                    return None;
                }
            }
        }
        Some(text)
    }

    /// A command that opens a brace (`jit {`) continues until the matching `}`. One still
    /// open at the end of the input is reported and dropped.
    fn read_block(&self, first: String, rest: &mut dyn Iterator<Item = String>) -> String {
        let mut text = first;
        while brace_depth(&text) > 0 {
            match rest.next() {
                Some(l) => {
                    text.push('\n');
                    text.push_str(&l);
                }
                None => {
                    println!("The block opened by \"{}\" is not closed before the end of the input; ignored.", first_line(&text));
                    return String::new();
                }
            }
        }
        text
    }

    fn end(&mut self) {
        if self.engine.is_running() {
            let _ = self.engine.abandon(&mut self.jit, 0, None);
        }
    }

    fn command(&mut self, line: &str) {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return;
        }
        let (cmd, rest) = match line.find(|c: char| c.is_whitespace() || c == '/') {
            Some(i) => (&line[..i], line[i..].trim_start()),
            None => (line, ""),
        };
        match cmd {
            "run" | "r" => self.run(),
            "break" | "b" | "br" => self.breakpoint(rest, false),
            "tbreak" => self.breakpoint(rest, true),
            "delete" | "d" => self.delete(rest),
            "disable" | "enable" => self.enable(rest, cmd == "enable"),
            "continue" | "c" => self.resume(Resume::Continue),
            "stepi" | "si" => self.resume(Resume::StepInstruction),
            "nexti" | "ni" => self.resume(Resume::NextInstruction),
            "next" | "n" => self.resume(Resume::Next),
            "step" | "s" => self.resume(Resume::Step),
            "until" | "u" => self.resume(Resume::Until),
            "list" | "l" => self.list(rest),
            "finish" | "fin" => self.finish(),
            "backtrace" | "bt" | "where" => self.backtrace(rest),
            "frame" | "f" => {
                let n = rest.trim().parse().ok();
                self.select_frame(n.or(Some(self.selected)))
            }
            "up" => {
                let n: usize = rest.trim().parse().unwrap_or(1);
                let t = self.selected + n;
                self.select_frame(Some(t))
            }
            "down" => {
                let n: usize = rest.trim().parse().unwrap_or(1);
                match self.selected.checked_sub(n) {
                    Some(t) => self.select_frame(Some(t)),
                    None => println!("Bottom (innermost) frame selected; you cannot go down."),
                }
            }
            "info" | "i" => self.info(rest),
            "x" => self.examine(rest),
            "kill" | "k" => self.kill(),
            "print" | "p" | "call" | "inspect" => self.print(rest),
            "ptype" => self.type_of(rest, true),
            "set" => self.set(rest),
            "display" => self.display(rest),
            "undisplay" => self.undisplay(rest),
            "whatis" => self.type_of(rest, false),
            "reload" => self.reload(rest),
            "jit" => self.jit_block(rest),
            "shell" => self.shell(rest),
            "quit" | "q" => self.quit = true,
            "help" | "h" => help(rest),
            _ => println!("Undefined command: \"{cmd}\".  Try \"help\"."),
        }
    }

    /// Applies the reloads and snippets so far to a fresh image, in the order they were made
    /// (a reloaded body may call a snippet's function, a snippet a reloaded one).
    fn replay_history(&mut self) {
        let (mut reloads, mut snippets) = (self.reloads.clone().into_iter(), 0..);
        for change in self.history.clone() {
            let result = match change {
                Change::Reload => match reloads.next() {
                    Some((name, file, obj)) => self
                        .jit
                        .reload_function(
                            &name,
                            LinkInput::new(file, obj),
                            cfree_link::AbiCheck::Required,
                        )
                        .map_err(|e| e.to_string()),
                    None => Ok(()),
                },
                Change::Snippet => match snippets.next().and_then(|i| self.snippets.get(i)) {
                    Some((name, context, obj)) => {
                        let (name, context, obj) = (name.clone(), context.clone(), obj.clone());
                        self.append_snippet(&name, &context, obj)
                    }
                    None => Ok(()),
                },
            };
            if let Err(e) = result {
                println!("{e}");
            }
        }
    }

    fn run(&mut self) {
        if self.engine.is_running() {
            let _ = self.engine.abandon(&mut self.jit, 0, None);
        }
        if self.ran {
            match new_image(&self.args, &self.objects, &self.runtime) {
                Ok(j) => {
                    self.jit = j;
                    self.exprs.clear();
                    self.replay_history();
                    self.engine.image_replaced(&self.jit);
                }
                Err(e) => return println!("{e}"),
            }
        }
        let mut argv = vec![self.args.files[0].display().to_string()];
        argv.extend(self.args.program_args.iter().cloned());
        println!("Starting program: {}", argv.join(" "));
        self.selected = 0;
        let start = self.start_args(&argv);
        let Some((entry, a)) = start else {
            return println!("No symbol table is loaded.  Use the \"file\" command.");
        };
        self.install_sigint();
        let out = self.engine.start(&mut self.jit, entry, a);
        let out = self.settle(out);
        self.report(out);
        self.after_stop();
    }

    /// The start routine and its arguments: argc, argv, envp, constructors (NULL-terminated).
    fn start_args(&mut self, argv: &[String]) -> Option<(u64, [u64; 4])> {
        self.ran = true;
        let entry = self.jit.lookup(cfree_dbg::runtime::START)? as u64;
        let main = self.jit.lookup("main")? as u64;
        let cell = self.jit.lookup(cfree_dbg::runtime::MAIN_POINTER)? as u64;
        cfree_dbg::inferior::write_memory(cell, &main.to_le_bytes()).then_some(())?;
        let ctors = self.jit.take_constructors().ok()?;
        let mut init: Vec<u64> = ctors;
        init.push(0);
        let owned: Vec<std::ffi::CString> = argv
            .iter()
            .map(|a| std::ffi::CString::new(a.as_bytes()).unwrap_or_default())
            .collect();
        let mut ptrs: Vec<u64> = owned.iter().map(|c| c.as_ptr() as u64).collect();
        ptrs.push(0);
        extern "C" {
            static mut environ: *mut *mut libc::c_char;
        }
        // SAFETY: reading libc's environment pointer.
        let env = unsafe { *std::ptr::addr_of!(environ) } as u64;
        let args = [
            owned.len() as u64,
            ptrs.as_ptr() as u64,
            env,
            init.as_ptr() as u64,
        ];
        // The program reads these for as long as it runs: they live as long as the session.
        std::mem::forget(owned);
        std::mem::forget(ptrs);
        std::mem::forget(init);
        Some((entry, args))
    }

    fn install_sigint(&self) {
        // SAFETY: a handler that only stores to an atomic; no SA_RESTART, so the wait for the
        // program is interrupted and can stop it.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_sigint as *const () as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(libc::SIGINT, &sa, std::ptr::null_mut());
        }
    }

    fn breakpoint(&mut self, rest: &str, temporary: bool) {
        let (spec, condition) = match rest.split_once(" if ") {
            Some((s, c)) => (s, Some(c.trim().to_string())),
            None => match rest.trim().strip_prefix("if ") {
                Some(c) => ("", Some(c.trim().to_string())),
                None => (rest, None),
            },
        };
        let spec = spec.trim();
        let spec = if spec.is_empty() {
            match self.engine.current_stop() {
                Some(s) => BreakSpec::Address(s.regs.pc()),
                None => return println!("No default breakpoint location now selected."),
            }
        } else if let Some(a) = spec.strip_prefix('*') {
            match parse_number(a.trim()) {
                Some(a) => BreakSpec::Address(a),
                None => return println!("Invalid address: \"{a}\"."),
            }
        } else if let Some((file, line)) = spec
            .rsplit_once(':')
            .and_then(|(f, l)| Some((f.to_string(), l.parse::<u32>().ok()?)))
        {
            BreakSpec::Line { file, line }
        } else if let Ok(line) = spec.parse::<u32>() {
            let file = self
                .here()
                .map(|h| h.0)
                .unwrap_or_else(|| self.args.files[0].display().to_string());
            BreakSpec::Line { file, line }
        } else {
            BreakSpec::Function(spec.to_string())
        };
        let id = self
            .engine
            .add_breakpoint(&mut self.jit, spec.clone(), temporary);
        if let Some(c) = condition {
            self.conditions.insert(id, c);
        }
        let kind = if temporary {
            "Temporary breakpoint"
        } else {
            "Breakpoint"
        };
        let addr = self
            .engine
            .breakpoints()
            .find(|b| b.id == id)
            .and_then(|b| b.addr);
        match addr {
            Some(a) => match self.line_at(a) {
                Some((f, l, _)) => println!("{kind} {id} at {a:#x}: file {f}, line {l}."),
                None => println!("{kind} {id} at {a:#x}"),
            },
            None => match &spec {
                BreakSpec::Function(n) => {
                    println!("Function \"{n}\" not defined.");
                    println!("{kind} {id} ({n}) pending.");
                }
                BreakSpec::Line { file, line } => {
                    println!("No line {line} in file \"{file}\".");
                    println!("{kind} {id} ({file}:{line}) pending.");
                }
                BreakSpec::Address(_) => {}
            },
        }
    }

    fn ids(&self, rest: &str) -> Option<Vec<u32>> {
        if rest.trim().is_empty() {
            return Some(self.engine.breakpoints().map(|b| b.id).collect());
        }
        rest.split_whitespace().map(|w| w.parse().ok()).collect()
    }

    fn delete(&mut self, rest: &str) {
        let Some(ids) = self.ids(rest) else {
            return println!("Convenience variable must have integer value.\nArgs must be numbers or '$' variables.");
        };
        for id in ids {
            if let Err(e) = self.engine.delete(&mut self.jit, id) {
                println!("{e}");
            }
        }
    }

    fn enable(&mut self, rest: &str, on: bool) {
        let Some(ids) = self.ids(rest) else {
            return println!("Args must be numbers or '$' variables.");
        };
        for id in ids {
            if let Err(e) = self.engine.set_enabled(&mut self.jit, id, on) {
                println!("{e}");
            }
        }
    }

    fn resume(&mut self, how: Resume) {
        if self.engine.current_stop().is_none() {
            return println!("The program is not being run.");
        }
        INTERRUPTED.store(false, Ordering::SeqCst);
        self.selected = 0;
        let interrupted = || INTERRUPTED.swap(false, Ordering::SeqCst);
        let before = self.current_function();
        let out = match how {
            Resume::Continue => {
                println!("Continuing.");
                self.engine.cont(&mut self.jit, &interrupted)
            }
            Resume::StepInstruction => self.engine.step_instruction(&mut self.jit, &interrupted),
            Resume::NextInstruction => self.engine.next_instruction(&mut self.jit, &interrupted),
            Resume::Next => self.engine.next_line(&mut self.jit, false, &interrupted),
            Resume::Until => self.engine.next_line(&mut self.jit, true, &interrupted),
            Resume::Step => self.engine.step_line(&mut self.jit, &interrupted),
        };
        let out = self.settle(out);
        match out {
            Ok(Outcome::Stepped(s)) => {
                // gdb names the function only when the step left the one it started in.
                let now = cfree_dbg::engine::function_at(&self.jit, s.regs.pc()).map(|f| f.0);
                let moved = now != before
                    || matches!(how, Resume::StepInstruction | Resume::NextInstruction);
                self.show_location(&s, moved);
            }
            other => self.report(other),
        }
        self.after_stop();
    }

    /// A stop at a breakpoint whose condition is false is not a stop: continue (as gdb, the
    /// hit is not counted).
    fn settle(
        &mut self,
        mut out: Result<Outcome, cfree_dbg::EngineError>,
    ) -> Result<Outcome, cfree_dbg::EngineError> {
        loop {
            let Ok(Outcome::Breakpoint(id, _)) = &out else {
                return out;
            };
            let Some(cond) = self.conditions.get(id).cloned() else {
                return out;
            };
            let id = *id;
            match self.condition_holds(&cond) {
                Ok(true) => return out,
                Ok(false) => {
                    self.engine.uncount_hit(id);
                    let interrupted = || INTERRUPTED.swap(false, Ordering::SeqCst);
                    out = self.engine.cont(&mut self.jit, &interrupted);
                }
                Err(e) => {
                    println!("Error in testing condition for breakpoint {id}:\n{e}");
                    return out;
                }
            }
        }
    }

    /// Evaluates a breakpoint condition in the stopped frame: a plain read when it is one,
    /// else compiled.
    fn condition_holds(&mut self, cond: &str) -> Result<bool, String> {
        if let Some(r) = self.read(cond) {
            let shown = r?.show(&|a| self.symbol_name(a));
            return Ok(shown != "0" && shown != "false" && !shown.starts_with("0 '"));
        }
        Ok(self.capture_value(cond)? != "0")
    }

    /// The value a compiled expression has (as an `int` truth value), printed nowhere.
    fn capture_value(&mut self, expr: &str) -> Result<String, String> {
        self.quiet = true;
        self.eval_compiled(&format!("(int)!!({expr})"), true);
        self.quiet = false;
        self.last_value
            .take()
            .ok_or_else(|| format!("cannot evaluate \"{expr}\""))
    }

    /// What every stop shows after its location: the `display` list.
    fn after_stop(&mut self) {
        if self.engine.current_stop().is_some() {
            self.show_displays();
        }
    }

    fn finish(&mut self) {
        let frames = self.engine.backtrace(&self.jit, 2);
        let (Some(f0), Some(f1)) = (frames.first(), frames.get(1)) else {
            return match frames.first() {
                Some(_) => println!("\"finish\" not meaningful in the outermost frame."),
                None => println!("The program is not being run."),
            };
        };
        let fname = f0.function.as_ref().map(|f| base_name(&f.0).to_string());
        println!("Run till exit from #0  {}", self.frame_text(f0, true));
        let ret = f1.pc;
        let out = self.engine.finish_frame(&mut self.jit, &|| false);
        let stopped_at_return = matches!(&out, Ok(Outcome::Stepped(s)) if s.regs.pc() == ret);
        let regs = match &out {
            Ok(Outcome::Stepped(s)) => Some(s.regs.clone()),
            _ => None,
        };
        match (&out, stopped_at_return) {
            // Back in the caller: gdb shows where.
            (Ok(Outcome::Stepped(s)), true) => self.show_location(s, true),
            _ => self.report(out),
        }
        if stopped_at_return {
            if let (Some(regs), Some(name)) = (regs, fname) {
                if let Some(p) = self.prototypes.iter().find(|p| p.name == name).cloned() {
                    if p.ret != "void" {
                        let v = format_value(&p.ret, regs.int_return(), regs.float_return());
                        let n = self.record(v.clone());
                        println!("Value returned is ${n} = {v}");
                    }
                }
            }
        }
    }

    fn record(&mut self, v: String) -> usize {
        self.values.push(v);
        self.values.len()
    }

    fn kill(&mut self) {
        if !self.engine.is_running() {
            return println!("The program is not being run.");
        }
        match self.engine.abandon(&mut self.jit, 0, None) {
            Ok(_) => println!("[Inferior 1 (process {}) killed]", std::process::id()),
            Err(e) => println!("{e}"),
        }
    }

    fn backtrace(&mut self, rest: &str) {
        let limit = rest.trim().parse().unwrap_or(usize::MAX);
        let frames = self.engine.backtrace(&self.jit, limit);
        if frames.is_empty() {
            return println!("No stack.");
        }
        for (i, f) in frames.iter().enumerate() {
            println!("#{i:<2} {}", self.frame_text(f, i == 0));
        }
    }

    /// `0x... in name ()`, the way gdb shows a frame without line information.
    /// A frame as gdb shows it: `sq () at g.c:5` for an innermost frame at the start of a
    /// line, `0x... in main () at g.c:13` otherwise (no `at` without line information).
    fn frame_text(&self, f: &cfree_dbg::Frame, innermost: bool) -> String {
        let name = match &f.function {
            Some((name, _)) if f.pc == 0 => return name.clone(),
            Some((name, _)) => name.clone(),
            None => "??".to_string(),
        };
        // A return address is one past its call: its line is the call's.
        let lookup = if innermost {
            f.pc
        } else {
            f.pc.wrapping_sub(1)
        };
        let args = self.args_text(f, innermost);
        match self.line_at(lookup) {
            Some((file, line, true)) if innermost => format!("{name} ({args}) at {file}:{line}"),
            Some((file, line, _)) => format!("{:#018x} in {name} ({args}) at {file}:{line}", f.pc),
            None => format!("{:#018x} in {name} ({args})", f.pc),
        }
    }

    /// `v=1, p=0x...`: the frame's parameters with their values.
    fn args_text(&self, f: &cfree_dbg::Frame, innermost: bool) -> String {
        let Some(info) = self.engine.frame_info(f, innermost) else {
            return String::new();
        };
        info.vars
            .iter()
            .filter(|v| v.is_param)
            .map(|v| format!("{}={}", v.name, self.var_value(v, f.cfa)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `NAME` or `&NAME` for a function of the image: `{int (int)} 0x... <twice>` and
    /// `(int (*)(int)) 0x... <twice>`, as gdb prints a function and its address.
    fn function_value(&self, expr: &str) -> Option<String> {
        let (pointer, name) = match expr.strip_prefix('&') {
            Some(n) => (true, n.trim()),
            None => (false, expr.trim_start_matches('*').trim()),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        let addr = self.jit.lookup(name)? as u64;
        let ty = self.engine.debug_info()?.function_type(name)?;
        let at = format!("{addr:#x} <{name}>");
        Some(if pointer {
            format!(
                "({}) {at}",
                cfree_dbg::vars::CType::Pointer(Box::new(ty)).name()
            )
        } else {
            format!("{{{}}} {at}", ty.name())
        })
    }

    /// The text of source `file`: a unit typed at the prompt (`<jit-1>`, `<reload-2>`), else
    /// the file read from disk each time (the user may have edited it).
    fn source_text(&self, file: &str) -> Option<String> {
        let kept = self
            .kept_texts
            .iter()
            .find(|(n, _)| n == file)
            .map(|k| &k.1);
        match kept.or_else(|| self.typed.get(file)) {
            Some(t) => Some(t.clone()),
            None => std::fs::read_to_string(file).ok(),
        }
    }

    /// Line `line` of `file` (see [`Session::source_text`]).
    fn source_line(&self, file: &str, line: u32) -> Option<String> {
        let text = self.source_text(file)?;
        text.lines()
            .nth(line.checked_sub(1)? as usize)
            .map(str::to_string)
    }

    /// gdb's `<sym>` / `<sym+off>` for an address: the image's functions and objects, then
    /// the libraries' exported symbols.
    fn symbol_name(&self, addr: u64) -> Option<String> {
        let (name, off) = cfree_dbg::engine::function_at(&self.jit, addr)
            .filter(|(n, _)| !n.starts_with('.'))
            .or_else(|| cfree_dbg::unwind::host_symbol(addr))?;
        Some(if off == 0 {
            name
        } else {
            format!("{name}+{off}")
        })
    }

    fn var_value(&self, v: &cfree_dbg::vars::Variable, cfa: u64) -> String {
        match cfree_dbg::vars::address(v, cfa) {
            Some(a) if cfa != 0 => {
                cfree_dbg::vars::format_value(&v.ty, a, 0, &|a| self.symbol_name(a))
            }
            _ => "<optimized out>".to_string(),
        }
    }

    /// The selected frame (frame 0 unless `up`/`down`/`frame` chose another).
    fn selected_frame(&self) -> Option<(cfree_dbg::Frame, bool)> {
        let frames = self.engine.backtrace(&self.jit, self.selected + 1);
        let f = frames.get(self.selected)?.clone();
        Some((f, self.selected == 0))
    }

    /// `info args` / `info locals`.
    fn info_vars(&self, params: bool) {
        let Some((f, innermost)) = self.selected_frame() else {
            return println!("No frame selected.");
        };
        let Some(info) = self.engine.frame_info(&f, innermost) else {
            return println!("No symbol table info available.");
        };
        let vars: Vec<_> = info.vars.iter().filter(|v| v.is_param == params).collect();
        if vars.is_empty() {
            return println!(
                "{}",
                if params {
                    "No arguments."
                } else {
                    "No locals."
                }
            );
        }
        for v in vars {
            println!("{} = {}", v.name, self.var_value(v, f.cfa));
        }
    }

    /// A plain read (`x`, `s.f`, `p->f`, `a[i]`, `*p`, `&x`) of the selected frame's variables
    /// and the program's globals, evaluated without compiling anything.
    fn read(&self, expr: &str) -> Option<Result<cfree_dbg::vars::Read, String>> {
        let frame = self.selected_frame();
        let info = frame
            .as_ref()
            .and_then(|(f, inner)| self.engine.frame_info(f, *inner));
        let lookup = |name: &str| -> Option<cfree_dbg::vars::Place> {
            if let (Some((f, _)), Some(info)) = (&frame, &info) {
                if let Some(v) = info.vars.iter().find(|v| v.name == name) {
                    let addr = cfree_dbg::vars::address(v, f.cfa)?;
                    return Some(cfree_dbg::vars::Place {
                        addr,
                        ty: v.ty.clone(),
                    });
                }
            }
            self.engine.debug_info()?.global(name)
        };
        cfree_dbg::vars::eval_read(expr, &lookup)
    }

    /// `print EXPR` for any C expression: compiled by cfree with the frame's file in scope
    /// (its macros, types, globals and functions) and the frame's variables as lvalues
    /// (`#define x (*(int *)__cfree_l[k])`), appended to the image, called on the stopped
    /// thread, and its result read back through the DWARF of the appended unit.
    fn print_compiled(&mut self, expr: &str) {
        self.eval_compiled(expr, true);
    }

    /// Compiles and runs `expr` in the selected frame; prints its value when `print`.
    fn eval_compiled(&mut self, expr: &str, print: bool) {
        if self.engine.current_stop().is_none() {
            return println!("You can't do that without a process to debug.");
        }
        let Some((f, inner)) = self.selected_frame() else {
            return println!("No frame selected.");
        };
        let vars = self
            .engine
            .frame_info(&f, inner)
            .map(|i| i.vars)
            .unwrap_or_default();
        let mut cells: Vec<u64> = Vec::new();
        let mut defines = String::new();
        let mut defined = std::collections::HashSet::new();
        for v in &vars {
            // Innermost first: a shadowed variable of an outer block is not reachable.
            if !defined.insert(v.name.as_str()) {
                continue;
            }
            let Some(a) = cfree_dbg::vars::address(v, f.cfa) else {
                continue;
            };
            let ptr = cfree_dbg::vars::c_spelling(v.ty.unqualified(), "*");
            defines.push_str(&format!(
                "#define {} (*({ptr})__cfree_l[{}])\n",
                v.name,
                cells.len()
            ));
            cells.push(a);
        }
        let context = self.context_file();
        let key = (context, defines, expr.to_string(), print);
        let compiled = match self.exprs.get(&key) {
            Some(c) => c.clone(),
            None => match self.compile_expr(&key.0, &key.1, expr, print) {
                Ok(c) => {
                    self.exprs.insert(key, c.clone());
                    c
                }
                Err(errors) => {
                    if self.quiet {
                        self.last_value = None;
                        return;
                    }
                    return match undeclared_name(&errors) {
                        Some(name) => println!("No symbol \"{name}\" in current context."),
                        None => print!("{errors}"),
                    };
                }
            },
        };
        let arg = cells.as_ptr() as u64;
        match self
            .engine
            .call(&mut self.jit, compiled.func, &[arg], &[], false)
        {
            Ok(Outcome::Returned(_)) => {}
            other => return self.report(other),
        }
        let Some(p) = compiled.result else { return };
        let shown = cfree_dbg::vars::format_print(&p.ty, p.addr, &|a| self.symbol_name(a));
        if self.quiet {
            self.last_value = Some(shown);
            return;
        }
        let k = self.record(shown.clone());
        println!("${k} = {shown}");
    }

    /// Compiles `expr` over the frame variables `defines` names into a function appended to
    /// the image: one that stores the value in a static the result's DWARF describes (for
    /// `print`, when the expression has a value) or one that only evaluates it. Errors are
    /// the first attempt's diagnostics.
    fn compile_expr(
        &mut self,
        context: &std::path::Path,
        defines: &str,
        expr: &str,
        print: bool,
    ) -> Result<CompiledExpr, String> {
        let n = self.snippets.len() + 1;
        let (result, func) = (format!("__cfree_dbg_r{n}"), format!("__cfree_dbg_e{n}"));
        let mut errors = String::new();
        let attempts: &[bool] = if print { &[true, false] } else { &[false] };
        for &with_result in attempts {
            let body = if with_result {
                // The comma drops the qualifiers of an lvalue (`const int k`): the result is
                // the expression's value, stored where its DWARF says.
                format!(
                    "void {func}(void **__cfree_l) {{\nstatic __typeof__(((void)0, ({expr}))) {result};\n{result} = ({expr});\n}}\n"
                )
            } else {
                format!("void {func}(void **__cfree_l) {{ (void)({expr}); }}\n")
            };
            let name = format!("<expr-{n}>");
            let text = format!("{defines}#line 1 \"{name}\"\n{body}");
            let compiled = match self.compile_in_scope(context, &name, &text) {
                Ok(c) => c,
                Err(e) => {
                    if errors.is_empty() {
                        errors = e.to_string();
                    }
                    continue;
                }
            };
            let ctx = context.display().to_string();
            self.append_snippet(&name, &ctx, compiled.object.clone())?;
            self.snippets.push((name, ctx, compiled.object));
            self.history.push(Change::Snippet);
            self.engine.refresh_source(&self.jit);
            let Some(addr) = self.jit.lookup(&func) else {
                return Err(format!("internal error: {func} is not in the image\n"));
            };
            let result = match with_result {
                true => Some(
                    self.engine
                        .debug_info()
                        .and_then(|d| d.newest_global(&result))
                        .ok_or_else(|| {
                            format!("internal error: no debug information for {result}\n")
                        })?,
                ),
                false => None,
            };
            return Ok(CompiledExpr {
                func: addr as u64,
                result,
            });
        }
        Err(errors)
    }

    /// `set var LVALUE = EXPR` (also `set variable`, and `set LVALUE = EXPR` when it is not
    /// a setting): the assignment, compiled like any expression.
    fn set(&mut self, rest: &str) {
        let r = rest.trim();
        let assignment = r
            .strip_prefix("variable ")
            .or_else(|| r.strip_prefix("var "))
            .unwrap_or(r);
        if !assignment.contains('=') {
            return println!("Undefined set command: \"{r}\".  Try \"help set\".");
        }
        self.eval_compiled(assignment, false);
    }

    /// `display EXPR`: shown now and after every stop, numbered as gdb does.
    fn display(&mut self, rest: &str) {
        let e = rest.trim();
        if e.is_empty() {
            return self.show_displays();
        }
        let scope = self.locals_scope(e);
        self.displays_made += 1;
        let n = self.displays_made;
        self.displays.push((n, e.to_string(), scope));
        if self.engine.current_stop().is_some() {
            self.show_display(n, e);
        }
    }

    /// The selected frame's function, if `expr` names one of its variables.
    fn locals_scope(&self, expr: &str) -> Option<String> {
        let (f, inner) = self.selected_frame()?;
        let info = self.engine.frame_info(&f, inner)?;
        let uses = |name: &str| {
            expr.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| w == name)
        };
        info.vars
            .iter()
            .any(|v| uses(&v.name))
            .then(|| f.function.map(|(n, _)| n))
            .flatten()
    }

    /// `undisplay [N...]`: drops the given displays, or all.
    fn undisplay(&mut self, rest: &str) {
        let ids: Vec<usize> = rest
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        if ids.is_empty() {
            return self.displays.clear();
        }
        self.displays.retain(|d| !ids.contains(&d.0));
    }

    fn show_displays(&mut self) {
        let here = self
            .selected_frame()
            .and_then(|(f, _)| f.function.map(|(n, _)| n));
        for (n, e, scope) in self.displays.clone() {
            if scope.is_none() || scope == here {
                self.show_display(n, &e);
            }
        }
    }

    fn show_display(&mut self, n: usize, e: &str) {
        let value = match self.read(e) {
            Some(Ok(r)) => r.show(&|a| self.symbol_name(a)),
            Some(Err(err)) => err,
            None => {
                self.quiet = true;
                self.eval_compiled(e, true);
                self.quiet = false;
                match self.last_value.take() {
                    Some(v) => v,
                    None => return println!("{n}: {e} = <error: cannot evaluate>"),
                }
            }
        };
        println!("{n}: {e} = {value}");
    }

    /// `ptype EXPR` / `whatis EXPR`.
    fn type_of(&self, rest: &str, expand: bool) {
        let read = self.read(rest.trim());
        if !matches!(read, Some(Ok(_))) {
            let name = rest.trim();
            if let Some(t) = self.engine.debug_info().and_then(|d| d.function_type(name)) {
                return println!("type = {}", t.name());
            }
        }
        match read {
            Some(Ok(r)) => {
                let t = match (&r, expand) {
                    (cfree_dbg::vars::Read::Object(p), true) => cfree_dbg::vars::ptype(&p.ty),
                    _ => r.type_name(),
                };
                println!("type = {t}");
            }
            Some(Err(e)) => println!("{e}"),
            None => println!("cfree dbg cannot evaluate \"{}\" yet.", rest.trim()),
        }
    }

    /// `frame N`, `up [N]`, `down [N]`: select a frame and show it.
    fn select_frame(&mut self, target: Option<usize>) {
        let frames = self.engine.backtrace(&self.jit, usize::MAX);
        if frames.is_empty() {
            return println!("No stack.");
        }
        if let Some(t) = target {
            if t >= frames.len() {
                return println!("Initial frame selected; you cannot go up.");
            }
            self.selected = t;
        }
        let f = &frames[self.selected];
        println!(
            "#{:<2} {}",
            self.selected,
            self.frame_text(f, self.selected == 0)
        );
        let lookup = if self.selected == 0 {
            f.pc
        } else {
            f.pc.wrapping_sub(1)
        };
        if let Some((file, line, _)) = self.line_at(lookup) {
            if let Some(text) = self.source_line(&file, line) {
                println!("{line}\t{text}");
            }
        }
    }

    fn info(&mut self, rest: &str) {
        let (what, arg) = match rest.split_once(char::is_whitespace) {
            Some((w, a)) => (w, a.trim()),
            None => (rest.trim(), ""),
        };
        match what {
            "breakpoints" | "b" | "break" => self.info_breakpoints(),
            "registers" | "r" | "reg" => self.info_registers(arg),
            "args" => self.info_vars(true),
            "locals" => self.info_vars(false),
            "symbol" => self.info_symbol(arg),
            "line" => self.info_line(arg),
            "frame" | "f" => self.info_frame(),
            _ => println!("Undefined info command: \"{rest}\".  Try \"help info\"."),
        }
    }

    /// `info frame`: the selected frame's addresses, caller and callee, arguments and saved
    /// registers, in gdb's layout.
    fn info_frame(&self) {
        let level = self.selected;
        let frames = self.engine.backtrace(&self.jit, level + 2);
        let Some(f) = frames.get(level) else {
            return println!("No stack.");
        };
        let arch = cfree_dbg::arch::host();
        let lookup = if level == 0 {
            f.pc
        } else {
            f.pc.wrapping_sub(1)
        };
        println!("Stack level {level}, frame at {:#x}:", f.cfa);
        let mut at = format!(" {} = {:#x}", arch.pc_name(), f.pc);
        if let Some((name, _)) = &f.function {
            at.push_str(&format!(" in {name}"));
            if let Some((file, line, _)) = self.line_at(lookup) {
                at.push_str(&format!(" ({file}:{line})"));
            }
        }
        if let Some(pc) = f.return_pc {
            at.push_str(&format!("; saved {} = {pc:#x}", arch.pc_name()));
        }
        println!("{at}");
        // (no caller for the outermost frame the backtrace shows, `main`, as in gdb)
        let relations: Vec<String> = [
            frames
                .get(level + 1)
                .map(|c| format!("called by frame at {:#x}", c.cfa)),
            level
                .checked_sub(1)
                .and_then(|i| frames.get(i))
                .map(|c| format!("caller of frame at {:#x}", c.cfa)),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !relations.is_empty() {
            println!(" {}", relations.join(", "));
        }
        println!(" source language c.");
        let (base, saved) = arch.frame_layout(f.cfa);
        println!(
            " Arglist at {base:#x}, args: {}",
            self.args_text(f, level == 0)
        );
        println!(" Locals at {base:#x}, Previous frame's sp is {:#x}", f.cfa);
        println!(" Saved registers:");
        let saved: Vec<String> = saved
            .iter()
            .map(|(r, a)| format!("{r} at {a:#x}"))
            .collect();
        println!("  {}", saved.join(", "));
    }

    fn info_breakpoints(&self) {
        let bps: Vec<&cfree_dbg::Breakpoint> = self.engine.breakpoints().collect();
        if bps.is_empty() {
            return println!("No breakpoints or watchpoints.");
        }
        println!("Num     Type           Disp Enb Address            What");
        for b in bps {
            let disp = if b.temporary { "del " } else { "keep" };
            let enb = if b.enabled { "y" } else { "n" };
            let (addr, what) = match (b.addr, &b.spec) {
                (Some(a), _) => {
                    let mut what = cfree_dbg::engine::function_at(&self.jit, a)
                        .map(|(n, _)| format!("in {n}"))
                        .unwrap_or_default();
                    if let Some((f, l, _)) = self.line_at(a) {
                        what.push_str(&format!(" at {f}:{l}"));
                    }
                    (format!("{a:#018x}"), what)
                }
                (None, BreakSpec::Function(n)) => ("<PENDING>         ".to_string(), n.clone()),
                (None, BreakSpec::Line { file, line }) => {
                    ("<PENDING>         ".to_string(), format!("{file}:{line}"))
                }
                (None, BreakSpec::Address(a)) => (format!("{a:#018x}"), String::new()),
            };
            let stale = if b.stale {
                " (stale: not found again after a reload)"
            } else {
                ""
            };
            println!(
                "{:<7} breakpoint     {disp} {enb}   {addr} {what}{stale}",
                b.id
            );
            if b.hits > 0 {
                let s = if b.hits == 1 { "" } else { "s" };
                println!("\tbreakpoint already hit {} time{s}", b.hits);
            }
        }
    }

    fn info_registers(&self, arg: &str) {
        let Some(stop) = self.engine.current_stop() else {
            return println!("The program has no registers now.");
        };
        let regs = stop.regs.named();
        let wanted: Vec<&str> = arg
            .split_whitespace()
            .map(|r| r.trim_start_matches('$'))
            .collect();
        for w in &wanted {
            if !regs.iter().any(|(n, _)| n == w) {
                return println!("Invalid register `{w}'");
            }
        }
        for (name, v) in regs {
            if !wanted.is_empty() && !wanted.contains(&name) {
                continue;
            }
            let natural = match name {
                "rip" => self.symbolic(v),
                "rbp" | "rsp" => format!("{v:#x}"),
                "eflags" => format!("{v:#x}"),
                _ => format!("{}", v as i64),
            };
            println!("{name:<15}{:<19}{natural}", format!("{v:#x}"));
        }
    }

    fn symbolic(&self, v: u64) -> String {
        match cfree_dbg::engine::function_at(&self.jit, v) {
            Some((n, 0)) => format!("{v:#x} <{n}>"),
            Some((n, off)) => format!("{v:#x} <{n}+{off}>"),
            None => format!("{v:#x}"),
        }
    }

    /// `info line [LOCATION]`: the address range of a line (of the stop when none is given).
    fn info_line(&self, arg: &str) {
        let Some(src) = self.engine.source() else {
            return println!("No line number information available.");
        };
        let range = if arg.is_empty() {
            self.engine
                .current_stop()
                .and_then(|s| src.range_at(s.regs.pc()).copied())
        } else if let Some(a) = arg.strip_prefix('*').and_then(parse_number) {
            src.range_at(a).copied()
        } else {
            let (file, line) = match arg.rsplit_once(':') {
                Some((f, l)) => (f.to_string(), l.parse().ok()),
                None => match arg.parse::<u32>() {
                    Ok(l) => (
                        self.here()
                            .map_or_else(|| self.args.files[0].display().to_string(), |h| h.0),
                        Some(l),
                    ),
                    Err(_) => match self.line_of_function(arg) {
                        Some((f, l)) => (f, Some(l)),
                        None => return println!("Function \"{arg}\" not defined."),
                    },
                },
            };
            let Some(line) = line else {
                return println!("malformed line specification \"{arg}\"");
            };
            src.line_addresses(&file, line)
                .and_then(|(_, a)| a.first().copied())
                .and_then(|a| src.range_at(a).copied())
        };
        let Some(r) = range else {
            return println!("No line number information available for address {arg}");
        };
        println!(
            "Line {} of \"{}\" starts at address {} and ends at {}.",
            r.line,
            src.file(&r),
            self.symbolic_angle(r.start),
            self.symbolic_angle(r.end)
        );
    }

    /// `0x1149 <sq+4>` as gdb writes an address it can name.
    fn symbolic_angle(&self, v: u64) -> String {
        // Compiler-made names (string literals) are not shown, as gdb has none for them.
        match cfree_dbg::engine::function_at(&self.jit, v).filter(|f| !f.0.starts_with('.')) {
            Some((n, 0)) => format!("{v:#x} <{n}>"),
            Some((n, off)) => format!("{v:#x} <{n}+{off}>"),
            None => format!("{v:#x}"),
        }
    }

    fn info_symbol(&self, arg: &str) {
        let Some(a) = parse_number(arg) else {
            return println!("Argument required (address).");
        };
        match cfree_dbg::engine::function_at(&self.jit, a) {
            Some((n, 0)) => println!("{n} in section .text"),
            Some((n, off)) => println!("{n} + {off} in section .text"),
            None => println!("No symbol matches {arg}."),
        }
    }

    /// `x/NFU ADDR` with F in x, d, u and U in b, h, w, g.
    fn examine(&mut self, rest: &str) {
        let (fmt, addr) = match rest.strip_prefix('/') {
            Some(r) => match r.split_once(char::is_whitespace) {
                Some((f, a)) => (f, a.trim()),
                None => (r, ""),
            },
            None => ("", rest.trim()),
        };
        let addr = match parse_number(addr) {
            Some(a) => a,
            None => match self.address_of_expr(addr) {
                Ok(a) => a,
                Err(e) => return println!("{e}"),
            },
        };
        if fmt.contains('s') {
            return self.examine_strings(fmt, addr);
        }
        let count: usize = fmt
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect::<String>()
            .parse()
            .unwrap_or(1);
        let letters: String = fmt.chars().filter(|c| c.is_ascii_alphabetic()).collect();
        let size = if letters.contains('b') {
            1
        } else if letters.contains('h') {
            2
        } else if letters.contains('g') {
            8
        } else {
            4
        };
        let radix = if letters.contains('d') {
            'd'
        } else if letters.contains('u') {
            'u'
        } else {
            'x'
        };
        let per_line = match size {
            1 => 8,
            2 => 8,
            4 => 4,
            _ => 2,
        };
        let mut line = String::new();
        for k in 0..count {
            let a = addr + (k * size) as u64;
            let mut buf = vec![0u8; size];
            if !cfree_dbg::inferior::read_memory(a, &mut buf) {
                if !line.is_empty() {
                    println!("{line}");
                }
                return println!("Cannot access memory at address {a:#x}");
            }
            if k % per_line == 0 {
                if !line.is_empty() {
                    println!("{line}");
                }
                line = format!("{}:", self.symbolic(a));
            }
            let mut b8 = [0u8; 8];
            b8[..size].copy_from_slice(&buf);
            let v = u64::from_le_bytes(b8);
            let shown = match radix {
                'x' => format!("{v:#0w$x}", w = 2 + 2 * size),
                'd' => {
                    let sh = 64 - 8 * size as u32;
                    format!("{}", ((v << sh) as i64) >> sh)
                }
                _ => format!("{v}"),
            };
            line.push('\t');
            line.push_str(&shown);
        }
        if !line.is_empty() {
            println!("{line}");
        }
    }

    /// The address `x` examines for an expression: a pointer's value, an object's address.
    fn address_of_expr(&self, e: &str) -> Result<u64, String> {
        if e.is_empty() {
            return Err("Argument required (starting display address).".into());
        }
        match self.read(e) {
            Some(Ok(cfree_dbg::vars::Read::AddressOf(p))) => Ok(p.addr),
            Some(Ok(cfree_dbg::vars::Read::Object(p))) => match p.ty.name().ends_with('*') {
                true => cfree_dbg::inferior::read_u64(p.addr)
                    .ok_or_else(|| format!("Cannot access memory at address {:#x}", p.addr)),
                false => Ok(p.addr),
            },
            Some(Err(err)) => Err(err),
            None => Err(format!("cfree dbg cannot evaluate \"{e}\" as an address.")),
        }
    }

    /// `x/Ns ADDR`: N NUL-terminated strings from ADDR on.
    fn examine_strings(&self, fmt: &str, mut addr: u64) {
        let count: usize = fmt
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect::<String>()
            .parse()
            .unwrap_or(1);
        for _ in 0..count {
            let mut bytes = Vec::new();
            loop {
                let mut c = [0u8];
                if !cfree_dbg::inferior::read_memory(addr + bytes.len() as u64, &mut c) {
                    return println!(
                        "Cannot access memory at address {:#x}",
                        addr + bytes.len() as u64
                    );
                }
                if c[0] == 0 || bytes.len() >= 200 {
                    break;
                }
                bytes.push(c[0]);
            }
            let arr = cfree_dbg::vars::CType::Array {
                elem: Box::new(cfree_dbg::vars::CType::Base {
                    name: "char".into(),
                    size: 1,
                    encoding: 6,
                }),
                count: Some(bytes.len() as u64),
            };
            let shown = cfree_dbg::vars::format_value(&arr, addr, 0, &|_| None);
            println!("{}:\t{shown}", self.symbolic_angle(addr));
            addr += bytes.len() as u64 + 1;
        }
    }

    /// `print`/`call`: a plain read without compiling; a call with constant arguments through
    /// the function's prototype; anything else compiled (`print_compiled`).
    fn print(&mut self, rest: &str) {
        let expr = rest.trim();
        let read = self.read(expr);
        if let Some(Ok(r)) = &read {
            let shown = r.show(&|a| self.symbol_name(a));
            let n = self.record(shown.clone());
            return println!("${n} = {shown}");
        }
        let enumerator = || {
            let d = self.engine.debug_info()?;
            let plain = expr.chars().all(|c| c.is_alphanumeric() || c == '_');
            plain.then(|| d.enumerator(expr)).flatten().map(|e| e.0)
        };
        if let Some(shown) = self.function_value(expr).or_else(enumerator) {
            let n = self.record(shown.clone());
            return println!("${n} = {shown}");
        }
        if let Some(Err(e)) = read {
            return println!("{e}");
        }
        let Some((name, args)) = parse_call(expr).filter(|(n, a)| {
            self.prototypes.iter().any(|p| p.name == *n)
                && a.iter()
                    .all(|x| parse_number(x).is_some() || x.parse::<f64>().is_ok())
        }) else {
            return self.print_compiled(expr);
        };
        let Some(p) = self.prototypes.iter().find(|p| p.name == name).cloned() else {
            return println!("No symbol \"{name}\" in current context.");
        };
        if args.len() != p.params.len() && !p.variadic {
            return println!(
                "Too {} arguments in function call.",
                if args.len() < p.params.len() {
                    "few"
                } else {
                    "many"
                }
            );
        }
        let Some(addr) = self.jit.lookup(name) else {
            return println!("No symbol \"{name}\" in current context.");
        };
        let (mut ints, mut floats) = (Vec::new(), Vec::new());
        for (k, a) in args.iter().enumerate() {
            let ty = p.params.get(k).map(String::as_str).unwrap_or("int");
            if ty == "double" || ty == "float" {
                match a.parse::<f64>() {
                    Ok(v) => floats.push(v),
                    Err(_) => return println!("Invalid number \"{a}\"."),
                }
            } else {
                match parse_number(a) {
                    Some(v) => ints.push(v),
                    None => return println!("No symbol \"{a}\" in current context."),
                }
            }
        }
        let float_ret = p.ret == "double" || p.ret == "float";
        if self.engine.current_stop().is_none() {
            return println!("You can't do that without a process to debug.");
        }
        let out = self
            .engine
            .call(&mut self.jit, addr as u64, &ints, &floats, float_ret);
        match out {
            Ok(Outcome::Returned(v)) => {
                if p.ret != "void" {
                    let shown = format_value(&p.ret, v, v);
                    let n = self.record(shown.clone());
                    println!("${n} = {shown}");
                }
            }
            other => {
                self.report(other);
                println!("The program being debugged stopped while in a function called from cfree dbg.\nEvaluation of the expression containing the function\n({name}) will be abandoned.");
            }
        }
    }

    /// `reload NAME`: recompiles NAME from the current text of the file that defines it and
    /// publishes the new body through the function's slot (frames inside the old body finish
    /// there); breakpoints set by name move to the new body. A refusal changes nothing.
    /// `reload NAME { BODY }`: NAME gets BODY (the REPL's text) after its header, compiled in
    /// its file's scope; bare `reload`: every function whose text changed
    /// ([`reload_changed`](Self::reload_changed)), as one transaction.
    fn reload(&mut self, rest: &str) {
        let (name, body) = match rest.find('{') {
            Some(open) => (rest[..open].trim(), Some(rest[open..].trim())),
            None => (rest.trim(), None),
        };
        if name.is_empty() {
            if body.is_some() {
                return println!("usage: reload NAME {{ new body }}");
            }
            return self.reload_changed();
        }
        let one = match body {
            Some(body) => self.recompile_with_body(name, body),
            None => self.recompile(name),
        };
        match one {
            Ok(one) => self.reload_batch(vec![one]),
            Err(message) => println!("{message}"),
        }
    }

    /// `name` with a new body from the REPL (see [`Session::compile_replacement`]).
    fn recompile_with_body(&mut self, name: &str, body: &str) -> Result<Recompiled, String> {
        let Some(file) = self.defined_in.get(name).cloned() else {
            return Err(format!("No function \"{name}\" defined by the program."));
        };
        match self.compile_replacement(&file, name, body) {
            Ok(c) => Ok(Recompiled {
                hash: None,
                name: name.to_string(),
                file: file.display().to_string(),
                object: c.object,
            }),
            Err(e) => Err(format!("{e}Reload of '{name}' refused; nothing changed.")),
        }
    }

    /// Compiles `name` from its file's current text with only `name` emitted, so the file's
    /// other functions and its statics stay references to the live image: after the file's
    /// leading block when that is unchanged ([`Session::file_rest`]), else the whole file
    /// (`CompileOptions::only_function`). The error is the message to print (nothing was
    /// changed).
    fn recompile(&mut self, name: &str) -> Result<Recompiled, String> {
        let Some(file) = self.defined_in.get(name).cloned() else {
            return Err(format!("No function \"{name}\" defined by the program."));
        };
        if let Some(rest) = self.file_rest(&file, Some(name)) {
            if let Some(r) = self.recompiled_from(&file, &rest, name) {
                return Ok(r);
            }
        }
        let file = &file;
        let mut opts = self.args.opts.clone();
        opts.debug = true;
        opts.only_function = Some(name.to_string());
        match pipeline::compile(&Source::File(file), &opts) {
            Ok(c) => Ok(Recompiled {
                hash: c
                    .function_hashes
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|x| x.1),
                name: name.to_string(),
                file: file.display().to_string(),
                object: c.object,
            }),
            Err(e) => Err(format!("{e}Reload of '{name}' refused; nothing changed.")),
        }
    }

    /// The part of `file` after its leading `#include`/`#define` block, analysed after that
    /// block, which is analysed once and again only when it changes (`pipeline::FilePrefix`).
    /// `None` when the file has no such block or its rest does not compile that way: the
    /// caller compiles the whole file.
    /// With `upto`, only as far as that function's definition (all a reload of it needs).
    fn file_rest(
        &mut self,
        file: &std::path::Path,
        upto: Option<&str>,
    ) -> Option<pipeline::FileRest> {
        let text = std::fs::read_to_string(file).ok()?;
        if !self.prefixes.get(file).is_some_and(|p| p.fits(&text)) {
            self.prefixes.remove(file);
            let mut opts = self.args.opts.clone();
            opts.debug = true;
            opts.no_warnings = true;
            let prefix = pipeline::FilePrefix::open(file, &text, &opts)?;
            self.prefixes.insert(file.to_path_buf(), prefix);
        }
        let prefix = self.prefixes.get_mut(file)?;
        match upto {
            Some(func) => prefix.analyse_rest_until(&text, func).ok(),
            None => prefix.analyse_rest(&text).ok(),
        }
    }

    /// The reload of `name` from `rest` of `file`; `None` if its object cannot be made there.
    fn recompiled_from(
        &self,
        file: &std::path::Path,
        rest: &pipeline::FileRest,
        name: &str,
    ) -> Option<Recompiled> {
        let object = self.prefixes.get(file)?.object_of(rest, name).ok()?;
        let hash = rest
            .function_hashes
            .iter()
            .find(|(n, _)| n == name)
            .map(|x| x.1);
        Some(Recompiled {
            name: name.to_string(),
            file: file.display().to_string(),
            object,
            hash,
        })
    }

    /// Reloads `batch` as one transaction (every function ABI-checked; all are replaced or
    /// none is), then records the reloads for later runs, refreshes source lines and rebinds
    /// breakpoints once.
    fn reload_batch(&mut self, batch: Vec<Recompiled>) {
        let inputs = batch
            .iter()
            .map(|r| {
                (
                    r.name.clone(),
                    LinkInput::new(r.file.clone(), r.object.clone()),
                )
            })
            .collect();
        if let Err(e) = self
            .jit
            .reload_functions(inputs, cfree_link::AbiCheck::Required)
        {
            let names: Vec<_> = batch.iter().map(|r| format!("'{}'", r.name)).collect();
            return println!("Reload of {} refused: {e}", names.join(", "));
        }
        self.engine.refresh_source(&self.jit);
        if let Err(e) = self.engine.rebind(&mut self.jit) {
            println!("{e}");
        }
        for r in batch {
            if let Some(h) = r.hash {
                self.hashes.insert(r.name.clone(), h);
            }
            let gens = self
                .jit
                .session()
                .reload_func(&r.name)
                .map_or(0, |f| f.reloads());
            println!("Reloaded {} (generation {gens}).", r.name);
            self.reloads.push((r.name, r.file, r.object));
            self.history.push(Change::Reload);
        }
        self.exprs.clear();
    }

    /// A new body for `name` from the REPL, compiled in the scope of `file` (its header, the
    /// file's declarations and the snippets kept so far).
    fn compile_replacement(
        &mut self,
        file: &std::path::Path,
        name: &str,
        body: &str,
    ) -> Result<pipeline::Compiled, pipeline::CompileError> {
        if brace_depth(body) != 0 || !body.ends_with('}') {
            return Err(pipeline::CompileError {
                rendered: "usage: reload NAME { new body }\n".into(),
            });
        }
        let n = self.reloads.len() + 1;
        let unit = format!("<reload-{n}>");
        let compiled = self.scope(file)?.compile_replacement(name, &unit, body)?;
        self.typed.insert(unit, format!("{body}\n"));
        Ok(compiled)
    }

    /// `jit { C code }`: compiled with a program file's declarations and macros in scope (the
    /// file of the selected function, else the first), appended to the live image as one
    /// transaction; it persists (later snippets, calls, breakpoints and runs see it).
    fn jit_block(&mut self, rest: &str) {
        let (Some(open), Some(close)) = (rest.find('{'), rest.rfind('}')) else {
            return println!("usage: jit {{ C code }}");
        };
        if close < open {
            return println!("usage: jit {{ C code }}");
        }
        let body = &rest[open + 1..close];
        let context = self.context_file();
        let blocks = self.snippets.iter().filter(|s| s.0.starts_with("<jit-"));
        let name = format!("<jit-{}>", blocks.count() + 1);
        let text = format!("{body}\n");
        let compiled = match self.compile_in_scope(&context, &name, &text) {
            Ok(c) => c,
            Err(e) => return print!("{e}"),
        };
        let ctx = context.display().to_string();
        if let Err(e) = self.append_snippet(&name, &ctx, compiled.object.clone()) {
            return println!("{e}");
        }
        self.keep_snippet(&context, &name, &text);
        let added: Vec<String> = compiled
            .prototypes
            .iter()
            .filter(|p| p.defined)
            .map(|p| p.name.clone())
            .collect();
        self.prototypes
            .extend(compiled.prototypes.into_iter().filter(|p| p.defined));
        self.snippets.push((name.clone(), ctx, compiled.object));
        self.history.push(Change::Snippet);
        self.engine.refresh_source(&self.jit);
        if let Err(e) = self.engine.rebind(&mut self.jit) {
            println!("{e}");
        }
        if added.is_empty() {
            println!("Appended {name}.");
        } else {
            println!("Appended {name}: {}.", added.join(", "));
        }
    }

    /// Compiles `text` (named `name` in diagnostics) as if it followed program file
    /// `context` and the snippets kept so far, keeping only what `text` defines: the unit the
    /// debugger appends for a snippet or an expression. [`Session::keep_snippet`] makes it
    /// part of every scope once it is in the image.
    fn compile_in_scope(
        &mut self,
        context: &std::path::Path,
        name: &str,
        text: &str,
    ) -> Result<pipeline::Compiled, pipeline::CompileError> {
        self.scope(context)?.compile(name, text)
    }

    /// The open scope of program file `context`, opened (again, after an edit) if needed,
    /// with the snippets kept so far.
    fn scope(
        &mut self,
        context: &std::path::Path,
    ) -> Result<&mut pipeline::UnitScope, pipeline::CompileError> {
        let stale = self.scopes.get(context).is_none_or(|s| s.is_stale());
        if stale {
            let mut opts = self.args.opts.clone();
            opts.debug = true;
            opts.no_warnings = true;
            let mut scope = pipeline::UnitScope::open(context, &opts)?;
            for (n, t) in &self.kept_texts {
                scope.absorb(n, t);
            }
            self.scopes.insert(context.to_path_buf(), scope);
        }
        self.scopes
            .get_mut(context)
            .ok_or_else(|| pipeline::CompileError {
                rendered: format!("cfree: error: no scope for {}\n", context.display()),
            })
    }

    /// The snippet last compiled in `context` is in the image: later snippets and
    /// expressions, in every file's scope, see its declarations and macros.
    fn keep_snippet(&mut self, context: &std::path::Path, name: &str, text: &str) {
        self.exprs.clear();
        for (path, scope) in self.scopes.iter_mut() {
            if path == context {
                scope.keep_last();
            } else {
                scope.absorb(name, text);
            }
        }
        self.kept_texts.push((name.to_string(), text.to_string()));
    }

    /// The source file whose declarations a snippet sees.
    fn context_file(&self) -> PathBuf {
        let here = self
            .engine
            .backtrace(&self.jit, 1)
            .first()
            .and_then(|f| f.function.clone())
            .and_then(|(n, _)| self.defined_in.get(base_name(&n)).cloned());
        here.unwrap_or_else(|| self.args.files[0].clone())
    }

    fn append_snippet(&mut self, name: &str, context: &str, obj: Vec<u8>) -> Result<(), String> {
        let scope = self
            .jit
            .session()
            .inputs()
            .iter()
            .find(|r| r.name == context)
            .map(|r| r.id)
            .ok_or_else(|| format!("no input {context} in the image"))?;
        self.jit
            .add_objects_in_scope(vec![LinkInput::new(name, obj)], scope)
            .map_err(|e| e.to_string())
    }

    /// `reload`: every function whose source text changed since it was compiled, each
    /// through the same checks as `reload NAME`, as one transaction.
    fn reload_changed(&mut self) {
        let mut changed = Vec::new();
        let mut opts = self.args.opts.clone();
        opts.debug = true;
        for f in self.args.files.clone() {
            let hashes = match self.file_rest(&f, None) {
                Some(rest) => Ok(rest.function_hashes),
                None => pipeline::compile(&Source::File(&f), &opts).map(|c| c.function_hashes),
            };
            match hashes {
                Ok(function_hashes) => {
                    for (name, h) in function_hashes {
                        if self.hashes.get(&name).is_some_and(|old| *old != h)
                            && self.jit.session().reload_func(&name).is_some()
                        {
                            changed.push((name, h));
                        }
                    }
                }
                Err(e) => {
                    print!("{e}");
                    return println!("Reload refused; nothing changed.");
                }
            }
        }
        if changed.is_empty() {
            return println!("No function changed.");
        }
        let mut batch = Vec::with_capacity(changed.len());
        for (name, h) in changed {
            match self.recompile(&name) {
                Ok(r) => batch.push(Recompiled { hash: Some(h), ..r }),
                Err(message) => return println!("{message}"),
            }
        }
        self.reload_batch(batch);
    }

    fn shell(&self, rest: &str) {
        match std::process::Command::new("sh")
            .arg("-c")
            .arg(rest)
            .status()
        {
            Ok(_) => {}
            Err(e) => println!("Cannot run the shell: {e}"),
        }
    }

    /// gdb's `[Switching to LWP N]` when a stop is in another thread than the last one.
    fn note_thread(&mut self, s: &Stop) {
        let last = self.last_tid.replace(s.tid);
        if last.is_some_and(|t| t != s.tid) || (last.is_none() && s.tid != worker_tid()) {
            println!("[Switching to LWP {}]", s.tid);
        }
    }

    fn report(&mut self, out: Result<Outcome, cfree_dbg::EngineError>) {
        match out {
            Err(e) => println!("{e}"),
            Ok(Outcome::Breakpoint(id, s)) => {
                let temp = !self.engine.breakpoints().any(|b| b.id == id);
                let kind = if temp {
                    "Temporary breakpoint"
                } else {
                    "Breakpoint"
                };
                println!();
                self.note_thread(&s);
                println!("{kind} {id}, {}", self.stop_text(&s));
            }
            Ok(Outcome::Stepped(s)) => println!("{}", self.stop_text(&s)),
            Ok(Outcome::Signal(sig, s)) => {
                println!();
                self.note_thread(&s);
                println!(
                    "Program received signal {}, {}.",
                    sig_name(sig),
                    sig_desc(sig)
                );
                println!("{}", self.stop_text(&s));
            }
            Ok(Outcome::Exited(0)) => {
                println!(
                    "[Inferior 1 (process {}) exited normally]",
                    std::process::id()
                )
            }
            Ok(Outcome::Exited(code)) => println!(
                "[Inferior 1 (process {}) exited with code {:02o}]",
                std::process::id(),
                code & 0xff
            ),
            Ok(Outcome::Killed(sig)) => {
                println!();
                println!(
                    "Program terminated with signal {}, {}.",
                    sig_name(sig),
                    sig_desc(sig)
                );
                println!("The program no longer exists.");
            }
            Ok(Outcome::Returned(_)) => {
                println!("The function called from cfree dbg returned; back where it was called.")
            }
        }
    }

    /// File, line and whether `pc` starts that line's code.
    fn line_at(&self, pc: u64) -> Option<(String, u32, bool)> {
        let src = self.engine.source()?;
        let r = src.range_at(pc)?;
        Some((src.file(r).to_string(), r.line, r.start == pc))
    }

    /// File and line of the stop.
    fn here(&self) -> Option<(String, u32)> {
        let s = self.engine.current_stop()?;
        self.line_at(s.regs.pc()).map(|(f, l, _)| (f, l))
    }

    /// A stop as gdb shows it: `sq () at g.c:5` then the line (`0x... in` first when the
    /// PC is inside a line), or `0x... in sq ()` without line information.
    fn stop_text(&self, s: &Stop) -> String {
        let pc = s.regs.pc();
        let name = cfree_dbg::engine::function_at(&self.jit, pc)
            .or_else(|| cfree_dbg::unwind::host_symbol(pc))
            .map_or("??".to_string(), |f| f.0);
        let args = self
            .engine
            .backtrace(&self.jit, 1)
            .first()
            .map(|f| self.args_text(f, true))
            .unwrap_or_default();
        match self.line_at(pc) {
            Some((file, line, at_start)) => {
                let head = if at_start {
                    format!("{name} ({args}) at {file}:{line}")
                } else {
                    format!("{pc:#018x} in {name} ({args}) at {file}:{line}")
                };
                match self.source_line(&file, line) {
                    Some(text) => format!("{head}\n{line}\t{text}"),
                    None => head,
                }
            }
            None => format!("{pc:#018x} in {name} ()"),
        }
    }

    /// After a step: the line only while in the same function, with the frame otherwise.
    fn show_location(&self, s: &Stop, with_frame: bool) {
        let pc = s.regs.pc();
        match self.line_at(pc) {
            Some((file, line, at_start)) if !with_frame => {
                let text = self
                    .source_line(&file, line)
                    .unwrap_or_else(|| format!("in {file}"));
                if at_start {
                    println!("{line}\t{text}");
                } else {
                    println!("{pc:#018x}\t{line}\t{text}");
                }
            }
            _ => println!("{}", self.stop_text(s)),
        }
    }

    fn current_function(&self) -> Option<String> {
        let pc = self.engine.current_stop()?.regs.pc();
        cfree_dbg::engine::function_at(&self.jit, pc).map(|f| f.0)
    }

    /// `list`: ten lines around the stop (or around `N`, `file:N`, a function's first line);
    /// a bare `list` again shows the next ten.
    fn list(&mut self, rest: &str) {
        let arg = rest.trim();
        let default_file = self
            .here()
            .map(|h| h.0)
            .unwrap_or_else(|| self.args.files[0].display().to_string());
        let (file, first) = if arg.is_empty() {
            match (self.list_next.take(), self.here()) {
                (Some((f, last)), _) => (f, last + 1),
                (None, Some((f, l))) => (f, l.saturating_sub(5).max(1)),
                (None, None) => {
                    let l = self.line_of_function("main").map_or(1, |x| x.1);
                    (default_file, l.saturating_sub(5).max(1))
                }
            }
        } else {
            let (f, center) = if let Ok(n) = arg.parse::<u32>() {
                (default_file, n)
            } else if let Some((f, n)) = arg
                .rsplit_once(':')
                .and_then(|(f, n)| Some((f.to_string(), n.parse::<u32>().ok()?)))
            {
                (f, n)
            } else {
                match self.line_of_function(arg) {
                    Some(x) => x,
                    None => return println!("Function \"{arg}\" not defined."),
                }
            };
            (f, center.saturating_sub(5).max(1))
        };
        let Some(text) = self.source_text(&file) else {
            return println!("{file}: No such file or directory.");
        };
        let lines: Vec<&str> = text.lines().collect();
        if first as usize > lines.len() {
            return println!(
                "Line number {first} out of range; \"{file}\" has {} lines.",
                lines.len()
            );
        }
        let last = (first + 9).min(lines.len() as u32);
        for n in first..=last {
            println!("{n}\t{}", lines[(n - 1) as usize]);
        }
        self.list_next = Some((file, last));
    }

    /// File and line of a function's first line of code.
    fn line_of_function(&self, name: &str) -> Option<(String, u32)> {
        let (lo, _) = cfree_dbg::engine::function_range(&self.jit, name)?;
        self.line_at(lo).map(|(f, l, _)| (f, l))
    }
}

enum Resume {
    Continue,
    StepInstruction,
    NextInstruction,
    Next,
    Step,
    Until,
}

/// The commands, their abbreviations and what they do (`help`).
const COMMANDS: &[(&str, &str)] = &[
    (
        "run, r",
        "Start the program (again, in a fresh image) and stop at breakpoints.",
    ),
    ("continue, c", "Continue the stopped program."),
    ("next, n", "Step one line, over calls."),
    ("step, s", "Step one line, into calls."),
    (
        "until, u",
        "Like next, but never back to an earlier line (leave a loop).",
    ),
    ("stepi, si", "Step one instruction."),
    ("nexti, ni", "Step one instruction, over calls."),
    (
        "finish, fin",
        "Run until the selected frame returns; show its value.",
    ),
    ("kill, k", "Kill the program."),
    (
        "break, b LOC [if COND]",
        "Breakpoint at FUNC, FILE:LINE, LINE or *ADDR.",
    ),
    ("tbreak LOC", "A breakpoint deleted when hit."),
    (
        "delete, d [N...]",
        "Delete breakpoints (all without numbers).",
    ),
    ("disable/enable [N...]", "Disable or enable breakpoints."),
    ("backtrace, bt [N]", "The call stack."),
    ("frame, f [N] / up [N] / down [N]", "Select a frame."),
    (
        "print, p[/FMT] EXPR",
        "Evaluate a C expression (compiled in the program's scope).",
    ),
    ("call EXPR", "Same as print; calls functions of the image."),
    ("set var LVALUE = EXPR", "Assign."),
    ("display EXPR / undisplay [N]", "Show EXPR at every stop."),
    ("x/NFU ADDR", "Examine memory."),
    (
        "ptype EXPR / whatis EXPR",
        "The type of EXPR (expanded / by name).",
    ),
    ("list, l [LOC]", "Source lines."),
    (
        "info breakpoints|args|locals|registers|frame|symbol ADDR|line LOC",
        "Facts.",
    ),
    (
        "jit { C code }",
        "Compile C in the program's scope and append it to the live image.",
    ),
    (
        "reload [NAME [{ BODY }]]",
        "Replace functions in the running image (changed ones without NAME).",
    ),
    ("shell CMD", "Run a shell command."),
    ("help, h", "This list."),
    ("quit, q", "Leave the debugger."),
];

fn help(rest: &str) {
    let want = rest.trim();
    let shown: Vec<&(&str, &str)> = COMMANDS
        .iter()
        .filter(|(c, _)| {
            want.is_empty() || c.split([',', '/', ' ']).map(str::trim).any(|w| w == want)
        })
        .collect();
    if shown.is_empty() {
        return println!("Undefined command: \"{want}\".  Try \"help\".");
    }
    for (c, what) in shown {
        println!("{c} -- {what}");
    }
}

/// The name in the first error of a compile, if that error is an undeclared identifier: an
/// expression naming nothing gets gdb's "No symbol" message, not a compiler diagnostic.
fn undeclared_name(errors: &str) -> Option<&str> {
    let first = errors.lines().find(|l| l.contains("error: "))?;
    let msg = &first[first.find("error: ")? + 7..];
    let rest = msg.strip_prefix('\'')?;
    let (name, tail) = rest.split_once('\'')?;
    tail.starts_with(" undeclared").then_some(name)
}

/// How many more `{` than `}` a command's text holds (a block goes on while positive).
fn brace_depth(text: &str) -> i64 {
    text.matches('{').count() as i64 - text.matches('}').count() as i64
}

fn first_line(t: &str) -> &str {
    t.lines().next().unwrap_or("")
}

fn base_name(n: &str) -> &str {
    n.split(" [gen").next().unwrap_or(n)
}

fn parse_number(s: &str) -> Option<u64> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let v = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()?
    } else {
        s.parse::<u64>().ok()?
    };
    Some(if neg { v.wrapping_neg() } else { v })
}

/// `name(a, b)` → ("name", ["a", "b"]).
fn parse_call(e: &str) -> Option<(&str, Vec<&str>)> {
    let open = e.find('(')?;
    let inner = e[open + 1..].strip_suffix(')')?;
    let name = e[..open].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let args = if inner.trim().is_empty() {
        Vec::new()
    } else {
        inner.split(',').map(str::trim).collect()
    };
    Some((name, args))
}

/// A returned scalar in gdb's default format for its C type.
fn format_value(ty: &str, int: u64, float: u64) -> String {
    match ty {
        "double" => cfree_dbg::vars::gdb_double(f64::from_bits(float), 17),
        "float" => cfree_dbg::vars::gdb_double(f32::from_bits(float as u32) as f64, 9),
        "char" | "signed char" => {
            format!("{} '{}'", int as i8, char::from(int as u8).escape_default())
        }
        "unsigned char" => format!("{} '{}'", int as u8, char::from(int as u8).escape_default()),
        "_Bool" => (int & 0xff != 0).to_string(),
        "short" => (int as i16).to_string(),
        "unsigned short" => (int as u16).to_string(),
        "int" => (int as i32).to_string(),
        "unsigned int" => (int as u32).to_string(),
        "long" | "long long" => (int as i64).to_string(),
        "unsigned long" | "unsigned long long" => int.to_string(),
        t if t.ends_with('*') => format!("({t}) {int:#x}"),
        _ => (int as i32).to_string(),
    }
}

fn sig_desc(sig: i32) -> &'static str {
    match sig {
        libc::SIGSEGV => "Segmentation fault",
        libc::SIGBUS => "Bus error",
        libc::SIGFPE => "Arithmetic exception",
        libc::SIGILL => "Illegal instruction",
        libc::SIGABRT => "Aborted",
        libc::SIGINT => "Interrupt",
        libc::SIGTRAP => "Trace/breakpoint trap",
        _ => "Unknown signal",
    }
}
