//! One module per page, plus the frame they share.

pub mod account;
pub mod change;
mod frame;
pub mod login;
pub mod people;
pub mod queue;

pub use frame::{ErrorNote, Frame};
