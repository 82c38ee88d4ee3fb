use super::*;
use crate::verify::test_support::number;

/// A provider whose start answers what the test put in.
struct Scripted(Mutex<Vec<Result<Started, StartFailure>>>);

#[async_trait]
impl VerifyProvider for Scripted {
    async fn start(&self, _: &StartVerification) -> Result<Started, StartFailure> {
        self.0
            .lock()
            .expect("script lock")
            .pop()
            .unwrap_or(Err(StartFailure::Throttled))
    }
    async fn check(&self, _: &RequestId, _: &Pin) -> Result<(), CheckFailure> {
        Ok(())
    }
    async fn next_channel(&self, _: &RequestId) -> Result<(), ControlFailure> {
        Ok(())
    }
    async fn cancel(&self, _: &RequestId) -> Result<(), ControlFailure> {
        Ok(())
    }
    fn name(&self) -> &'static str {
        "scripted"
    }
}

fn request() -> StartVerification {
    StartVerification {
        number: number(),
        brand: "Test".into(),
        locale: None,
        fallback_locales: Vec::new(),
        channel: app_core::auth::Channel::Sms,
        silent_return: None,
    }
}

#[tokio::test]
async fn an_operator_fault_shows_until_a_later_answer_clears_it() {
    let ok = Ok(Started {
        request_id: RequestId::new("id"),
        resumed: false,
        check_url: None,
    });
    let fault = Err(StartFailure::OperatorFault(
        OperatorFault::Balance,
        "HTTP 402".into(),
    ));
    // Popped from the end: the fault first, then the success.
    let health = ProviderHealth::default();
    let timed = Timed::new(Scripted(Mutex::new(vec![ok, fault])), health.clone());
    assert_eq!(health.fault(), None);
    let first = timed.start(&request()).await;
    assert!(matches!(first, Err(StartFailure::OperatorFault(..))));
    assert_eq!(health.fault(), Some(OperatorFault::Balance));
    timed
        .start(&request())
        .await
        .expect("second start succeeds");
    assert_eq!(health.fault(), None, "a later success clears the fault");
}

#[tokio::test]
async fn throttling_and_outages_are_not_operator_faults() {
    let health = ProviderHealth::default();
    let outage = Err(StartFailure::Unavailable("HTTP 503".into()));
    let timed = Timed::new(Scripted(Mutex::new(vec![outage])), health.clone());
    let _ = timed.start(&request()).await;
    let _ = timed.start(&request()).await;
    assert_eq!(health.fault(), None);
}
