//! `recommend --format markdown`: the design record. (Being written in the design-record
//! issue; until then `recommend` says so clearly.)

use crate::engine::Recommendation;

/// Not available yet: `None` tells the caller to report that Markdown is not implemented.
pub fn render(_recommendation: &Recommendation) -> Option<String> {
    None
}
