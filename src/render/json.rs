//! `recommend --format json`: the recommendation as one JSON object.

use crate::engine::Recommendation;

pub fn render(recommendation: &Recommendation) -> String {
    let mut out = serde_json::to_string_pretty(recommendation).expect("a recommendation always serialises");
    out.push('\n');
    out
}
