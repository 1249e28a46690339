//! A caller can stop an analysis: the server does when a request's deadline passes or its
//! client goes away.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use khabar::{Document, Error, Pipeline, Watch};

const TEXT: &str = "قال رئيس الوزراء في لندن يوم الاثنين إن الحكومة ستنفق 20 مليون جنيه. ";

#[test]
fn a_raised_flag_stops_the_analysis_at_the_next_stage() {
    let p = Pipeline::builtin().unwrap();
    let mut doc = Document::default();
    let flag = Arc::new(AtomicBool::new(false));
    let mut ran = Vec::new();
    let stop = Arc::clone(&flag);
    let r = {
        let mut watch = Watch::default().cancel_on(Arc::clone(&flag)).on_stage(|name, _| {
            ran.push(name);
            // Raised as the text layer ends: no later stage runs.
            if name == "text" {
                stop.store(true, Ordering::Relaxed);
            }
        });
        p.analyze_with(TEXT, None, &mut doc, &mut watch)
    };
    assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
    assert_eq!(ran, ["text"]);
}

#[test]
fn a_flag_raised_before_the_start_runs_nothing_and_a_lowered_one_changes_nothing() {
    let p = Pipeline::builtin().unwrap();
    let mut doc = Document::default();
    let raised = Arc::new(AtomicBool::new(true));
    let r = p.analyze_with(TEXT, None, &mut doc, &mut Watch::default().cancel_on(raised));
    assert!(matches!(r, Err(Error::Cancelled)));
    let lowered = Arc::new(AtomicBool::new(false));
    p.analyze_with(TEXT, None, &mut doc, &mut Watch::default().cancel_on(lowered)).unwrap();
    let plain = p.analyze(TEXT, None).unwrap();
    assert_eq!(khabar::output::v1::to_json(&doc), khabar::output::v1::to_json(&plain));
}
