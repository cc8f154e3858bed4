//! The engine: one pure function from (knowledge, answers) to a recommendation.

mod evaluate;
mod plan;
pub mod recommendation;

pub use evaluate::evaluate;
pub use recommendation::Recommendation;
