//! Passkeys in the page: sign in with one on `/login`, add one after a phone sign-in, list
//! and remove them on `/account`.

mod add;
mod device_memory;
mod list;
mod offer;
mod sign_in;
mod webauthn;

pub use add::AddPasskey;
pub use list::PasskeyList;
pub use offer::PasskeyOffer;
pub use sign_in::PasskeySignIn;
