//! The shared fault switch and its admin routes, `GET|POST /dev/faults`.

use super::{Call, Fault, FaultSetting};
use crate::problem::problem;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Map;
use std::sync::{Arc, Mutex, PoisonError};

/// The shared, switchable setting.
#[derive(Debug, Default)]
pub(crate) struct FaultSwitch(Mutex<FaultSetting>);

impl FaultSwitch {
    /// The setting in force.
    pub(crate) fn get(&self) -> FaultSetting {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces the setting (a `count` of 0 means `none`).
    pub(crate) fn set(&self, setting: FaultSetting) {
        let setting = if setting.count == Some(0) {
            FaultSetting::default()
        } else {
            setting
        };
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = setting;
    }

    /// The fault for one API call (`none` unless the setting applies to `call`); counts it
    /// against `count` and switches back to `none` after the last counted call.
    pub(crate) fn take(&self, call: Call) -> Fault {
        let mut setting = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if !setting.applies_to(call) {
            return Fault::None;
        }
        let fault = setting.fault.clone();
        match setting.count {
            Some(n) if n <= 1 => *setting = FaultSetting::default(),
            Some(n) => setting.count = Some(n - 1),
            None => {}
        }
        fault
    }
}

/// `GET /dev/faults` and `POST /dev/faults`.
pub(crate) fn routes() -> Router<Arc<FaultSwitch>> {
    Router::new().route("/dev/faults", get(read).post(replace))
}

async fn read(State(switch): State<Arc<FaultSwitch>>) -> Response {
    reply(switch.get())
}

async fn replace(State(switch): State<Arc<FaultSwitch>>, body: Bytes) -> Response {
    match FaultSetting::parse(&body) {
        Ok(setting) => {
            switch.set(setting.clone());
            tracing::info!(target: "emulator", ?setting, "emulator fault setting changed");
            reply(setting)
        }
        Err(detail) => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-params",
            "Invalid fault setting",
            detail,
            Map::new(),
        ),
    }
}

fn reply(setting: FaultSetting) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Json(setting)).into_response()
}
