//! Small building blocks shared by the pages.

mod dev_banner;
mod field_error;

pub use dev_banner::DevBanner;
pub use field_error::FieldError;
