//! The `cfree` command line and the compile pipeline behind it.
