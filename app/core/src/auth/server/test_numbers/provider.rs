//! The provider as the login sees it when test numbers are configured: a test number in
//! force is started, checked, moved to "a call" and cancelled here, with no upstream call
//! and nothing sent; every other number goes to the real provider unchanged.

use super::{TestNumberUse, TestNumbers};
use crate::auth::server::clock::{unix_seconds, Clock};
use crate::auth::server::verify_port::{
    CheckFailure, ControlFailure, DeliveryPlan, RequestId, StartFailure, StartVerification,
    Started, VerifyProvider,
};
use crate::domain::{PhoneNumber, Pin};
use async_trait::async_trait;
use std::sync::Arc;

/// Prefix of the request ids this wrapper makes (`test:{e164}:{random}`); never sent to a
/// provider, never to the browser.
const ID_PREFIX: &str = "test:";

/// The real provider with the test numbers answered in front of it.
pub struct TestNumberProvider {
    inner: Arc<dyn VerifyProvider>,
    numbers: TestNumbers,
    clock: Arc<dyn Clock>,
}

impl TestNumberProvider {
    /// `inner` with `numbers` answered here, judged at `clock`'s time.
    pub fn new(
        inner: Arc<dyn VerifyProvider>,
        numbers: TestNumbers,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            inner,
            numbers,
            clock,
        }
    }

    fn now(&self) -> u64 {
        unix_seconds(self.clock.now())
    }

    /// The number a request id of ours names, if it is one.
    fn test_number_of(request_id: &RequestId) -> Option<&str> {
        let rest = request_id.expose().strip_prefix(ID_PREFIX)?;
        rest.split_once(':').map(|(number, _)| number)
    }
}

#[async_trait]
impl VerifyProvider for TestNumberProvider {
    async fn start(&self, request: &StartVerification) -> Result<Started, StartFailure> {
        let number = &request.number;
        match self.numbers.lookup(number.e164(), self.now()) {
            TestNumberUse::NotListed => self.inner.start(request).await,
            TestNumberUse::Active(_) => {
                let random = uuid::Uuid::new_v4().simple().to_string();
                Ok(Started {
                    request_id: RequestId::new(format!("{ID_PREFIX}{}:{random}", number.e164())),
                    resumed: false,
                    check_url: None,
                })
            }
            TestNumberUse::Expired => {
                tracing::error!(number = %number.masked(), "test number used after TEST_NUMBERS_UNTIL; refused");
                Err(StartFailure::InvalidNumber)
            }
        }
    }

    async fn check(&self, request_id: &RequestId, code: &Pin) -> Result<(), CheckFailure> {
        let Some(number) = Self::test_number_of(request_id) else {
            return self.inner.check(request_id, code).await;
        };
        match self.numbers.lookup(number, self.now()) {
            TestNumberUse::Active(pin) if pin == code => Ok(()),
            TestNumberUse::Active(_) => Err(CheckFailure::WrongCode),
            TestNumberUse::NotListed | TestNumberUse::Expired => {
                tracing::error!("test number's code checked after TEST_NUMBERS_UNTIL; refused");
                Err(CheckFailure::NotFound)
            }
        }
    }

    async fn next_channel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        match Self::test_number_of(request_id) {
            Some(_) => Ok(()),
            None => self.inner.next_channel(request_id).await,
        }
    }

    async fn cancel(&self, request_id: &RequestId) -> Result<(), ControlFailure> {
        match Self::test_number_of(request_id) {
            Some(_) => Ok(()),
            None => self.inner.cancel(request_id).await,
        }
    }

    fn delivery_plan(&self) -> DeliveryPlan {
        self.inner.delivery_plan()
    }

    fn throttled_for_secs(&self) -> Option<u64> {
        self.inner.throttled_for_secs()
    }

    fn sends_nothing_to(&self, number: &PhoneNumber) -> bool {
        match self.numbers.lookup(number.e164(), self.now()) {
            TestNumberUse::Active(_) => true,
            TestNumberUse::NotListed => false,
            TestNumberUse::Expired => {
                tracing::error!(number = %number.masked(), "test number used after TEST_NUMBERS_UNTIL; refused");
                false
            }
        }
    }

    fn name(&self) -> &'static str {
        self.inner.name()
    }
}
