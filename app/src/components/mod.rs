//! Small building blocks shared by the pages.

mod countdown;
mod dev_banner;
mod field_error;
pub mod format;
mod page_behaviour;
mod pin_step;

pub use countdown::countdown;
pub use dev_banner::DevBanner;
pub use field_error::FieldError;
pub use page_behaviour::PageBehaviour;
pub use pin_step::PinStep;
