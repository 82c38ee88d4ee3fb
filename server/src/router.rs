//! The site's Leptos routes: the pages and server functions of the views, with the login
//! context and a per-request CSP nonce provided to each. Everything around them (sessions,
//! security layers, operator endpoints) is `host::router`.

use app::auth::server::AuthContext;
use app::{shell, App};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;

/// The pages, server functions and static files for `options`; matches
/// [`host::router::SiteRoutes`].
pub fn site_routes(options: &LeptosOptions, auth: AuthContext) -> Router {
    // Listed once per process: listing renders the app with a process-wide flag set that
    // parks every `Resource` first polled meanwhile, in any thread, forever (leptos_server's
    // `SuppressResourceLoad`); a second server built while another serves (the tests) would
    // hang that one's page renders.
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    let routes = ROUTES.get_or_init(|| generate_route_list(App)).clone();
    // Shared, not cloned per request: the context holds the limit and guard policies.
    let auth = std::sync::Arc::new(auth);
    let context = move || {
        provide_context(auth.clone());
        // A fresh script nonce per request, used by the page CSP and the hydration script.
        leptos::nonce::provide_nonce();
    };
    Router::new()
        .leptos_routes_with_context(options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .with_state(options.clone())
}
