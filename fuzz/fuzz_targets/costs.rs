#![no_main]
//! A user's cost table (with a fixed demand table): an instance or problems, never a panic.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let demand = common::scratch("demand.csv", b"demand_id,weight\nD1,5\nD2,3\nD3,0\n");
    let costs = common::scratch("costs.csv", data);
    let columns = frontdoor::optimise::instance::TableColumns {
        demand_id: "demand_id".into(),
        costs_demand_id: "demand_id".into(),
        site_id: "site_id".into(),
        cost: "cost".into(),
        weight: "weight".into(),
    };
    if let Ok(inst) = frontdoor::optimise::instance::from_tables(&costs, &demand, &columns) {
        let _ = inst;
    }
});
