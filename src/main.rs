//! The `cfree` binary: see `cfree --help`.

fn main() {
    std::process::exit(cfree_driver::main());
}
