//! `next_channel` and `cancel` (`/verify/control/json`): the form they post, status 19 read
//! per command, and outages reported without the request id. The statuses they share ("6",
//! "1") run in the contract suite.

use super::*;
use wiremock::matchers::header;

#[tokio::test]
async fn control_posts_form_with_request_id_and_cmd() {
    for (call, cmd) in [(Call::Next, "trigger_next_event"), (Call::Cancel, "cancel")] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/verify/control/json"))
            .and(header("content-type", "application/x-www-form-urlencoded"))
            .respond_with(ok_json(json!({"status": "0", "command": cmd})))
            .expect(1)
            .mount(&server)
            .await;
        let client = client(&server.uri(), Duration::from_secs(5));

        assert_eq!(control(&client, call).await, Ok(()), "{cmd}");
        assert_eq!(
            sent_form(&server).await,
            form(&[
                ("api_key", KEY),
                ("api_secret", SECRET),
                ("request_id", ID),
                ("cmd", cmd),
            ])
        );
    }
}

#[tokio::test]
async fn status_19_on_next_channel_is_nothing_left() {
    for text in [
        format!("No more events are left to execute for the request ['{ID}']"),
        // Whatever the text says, a refused trigger means no event is left.
        format!("Verification request ['{ID}'] can't be cancelled within the first 30 seconds."),
    ] {
        let reply = ok_json(json!({"status": "19", "error_text": text}));
        let result = control_with(Call::Next, reply).await;
        assert_eq!(result, Err(ControlFailure::NothingLeft), "{text}");
    }
}

#[tokio::test]
async fn status_19_on_cancel_is_too_soon_only_within_the_first_30_seconds() {
    let too_soon = ok_json(json!({"status": "19", "error_text": format!(
        "Verification request ['{ID}'] can't be cancelled within the first 30 seconds."
    )}));
    assert_eq!(
        control_with(Call::Cancel, too_soon).await,
        Err(ControlFailure::TooSoon)
    );
    let too_late = ok_json(json!({"status": "19", "error_text": format!(
        "Verification request ['{ID}'] can't be cancelled now. Too many attempts to \
         re-deliver have already been made."
    )}));
    assert_eq!(
        control_with(Call::Cancel, too_late).await,
        Err(ControlFailure::NothingLeft)
    );
    let no_text = ok_json(json!({"status": "19"}));
    assert_eq!(
        control_with(Call::Cancel, no_text).await,
        Err(ControlFailure::NothingLeft)
    );
}

#[tokio::test]
async fn control_other_statuses_are_unavailable_without_the_request_id() {
    for call in [Call::Next, Call::Cancel] {
        for status in ["3", "5", "101"] {
            let reply = ok_json(json!({
                "status": status, "error_text": format!("Trouble with '{ID}'"),
            }));
            let detail = expect_unavailable_control(control_with(call, reply).await);
            assert_eq!(
                detail,
                format!("status {status}: Trouble with '<request id>'")
            );
        }
    }
}

#[tokio::test]
async fn control_non_200_and_garbage_are_unavailable() {
    for call in [Call::Next, Call::Cancel] {
        let server_error = ResponseTemplate::new(500).set_body_string("boom");
        expect_unavailable_control(control_with(call, server_error).await);
        let not_found = ResponseTemplate::new(404).set_body_json(json!({"status": "0"}));
        expect_unavailable_control(control_with(call, not_found).await);
        let garbage = ResponseTemplate::new(200).set_body_string("<xml>nope</xml>");
        expect_unavailable_control(control_with(call, garbage).await);
    }
}

#[tokio::test]
async fn control_times_out_as_unavailable() {
    for call in [Call::Next, Call::Cancel] {
        let reply = ok_json(json!({"status": "0"})).set_delay(Duration::from_secs(3));
        let (server, _) = fake("/verify/control/json", reply).await;
        let client = client(&server.uri(), Duration::from_millis(200));
        let detail = expect_unavailable_control(control(&client, call).await);
        assert!(detail.contains("timeout"), "{detail}");
    }
}

#[tokio::test]
async fn control_with_connection_refused_is_unavailable() {
    let client = client(&refused_base_url().await, Duration::from_millis(500));
    for call in [Call::Next, Call::Cancel] {
        expect_unavailable_control(control(&client, call).await);
    }
}
