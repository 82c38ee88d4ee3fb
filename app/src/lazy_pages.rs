//! The pages a first visit to `/login` does not need, each in its own wasm chunk
//! (`cargo leptos build --split`), loaded when its route is first shown.

use crate::pages::{AccountPage, HomePage, VerifyPage};
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// `/verify`, lazily loaded.
#[derive(Debug)]
pub struct VerifyRoute;

#[lazy_route]
impl LazyRoute for VerifyRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <VerifyPage /> }.into_any()
    }
}

/// `/`, lazily loaded.
#[derive(Debug)]
pub struct HomeRoute;

#[lazy_route]
impl LazyRoute for HomeRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <HomePage /> }.into_any()
    }
}

/// `/account`, lazily loaded.
#[derive(Debug)]
pub struct AccountRoute;

#[lazy_route]
impl LazyRoute for AccountRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <AccountPage /> }.into_any()
    }
}
