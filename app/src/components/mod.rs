//! Small building blocks shared by the pages.

pub(crate) mod browser_storage;
mod carried_note;
mod countdown;
mod destination;
mod dev_banner;
mod field_error;
mod focus;
pub mod format;
mod hashed_stylesheet;
mod human_check;
mod language_menu;
mod logout_button;
mod passkey;
mod phone_step;
mod pin_step;
mod scheduled_call;
mod session_list;
mod signed_in_only;
mod silent_step;

pub use carried_note::CarriedNote;
pub use countdown::countdown;
pub use destination::go_to;
pub use dev_banner::DevBanner;
pub use field_error::FieldError;
pub use focus::focus_field;
pub use hashed_stylesheet::CachedStylesheet;
pub use human_check::HumanCheck;
pub use language_menu::LanguageMenu;
pub use logout_button::LogoutButton;
pub use passkey::{AddPasskey, PasskeyList, PasskeyOffer, PasskeySignIn};
pub use phone_step::PhoneStep;
pub use pin_step::PinStep;
pub use scheduled_call::scheduled_call;
pub use session_list::SessionList;
pub use signed_in_only::SignedInOnly;
pub use silent_step::SilentStep;
