//! One component per route.

mod account;
mod home;
mod login;
mod not_found;
mod silent_return;
mod verify;

pub use account::AccountPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use silent_return::SilentReturnPage;
pub use verify::VerifyPage;
