//! Nothing here: the programs are the examples (`cargo build --examples`), one per everyday task
//! of the main crate's examples/.
