//! Native routing benchmarks (divan). Workloads come from `bench/data/`, written by
//! `node bench/gen-workloads.mjs` (run by `bench/run.sh`).

fn main() {
    divan::main();
}
