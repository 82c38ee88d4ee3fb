//! Domain types parsed at the edge: nothing downstream handles raw user input.

mod phone_number;
mod pin;

#[cfg(feature = "ssr")]
pub use phone_number::DefaultCountry;
pub use phone_number::{PhoneNumber, PhoneNumberProblem};
pub use pin::{Pin, PinProblem};
