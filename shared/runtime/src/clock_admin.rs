//! `ClockAdminService`: moves a manual clock forward (tests and demos). Refused unless `clock.mode = "manual"`.

use aftersales_proto::common::v1::clock_admin_service_server::ClockAdminService;
use aftersales_proto::common::v1::{AdvanceClockRequest, AdvanceClockResponse};
use tonic::{Request, Response, Status};

use crate::auth::Role;
use crate::clock::SharedClock;
use crate::errors::AppError;
use crate::server::edge::principal;

/// Longest single step: a year and a day.
const MAX_STEP_SECONDS: i64 = 366 * 24 * 3600;

/// The admin service over a service's clock.
#[derive(Clone)]
pub struct ClockAdmin {
    clock: SharedClock,
}

impl ClockAdmin {
    /// Serves `clock`.
    pub fn new(clock: SharedClock) -> Self {
        Self { clock }
    }
}

#[tonic::async_trait]
impl ClockAdminService for ClockAdmin {
    async fn advance_clock(
        &self,
        request: Request<AdvanceClockRequest>,
    ) -> Result<Response<AdvanceClockResponse>, Status> {
        principal(&request)?.require(&[Role::OemManager])?;
        let Some(manual) = self.clock.as_manual() else {
            return Err(AppError::precondition(
                "CLOCK_NOT_MANUAL",
                "system",
                "the clock can only be advanced when clock.mode is \"manual\"",
            )
            .into());
        };
        let by = request.into_inner().by.ok_or_else(|| AppError::invalid("by", "is required"))?;
        if by.seconds > MAX_STEP_SECONDS {
            return Err(AppError::invalid("by", "must be at most 366 days").into());
        }
        let step = chrono::Duration::seconds(by.seconds) + chrono::Duration::nanoseconds(by.nanos as i64);
        let now = manual.advance(step).map_err(|e| AppError::invalid("by", e.to_string()))?;
        Ok(Response::new(AdvanceClockResponse {
            now: Some(prost_types::Timestamp { seconds: now.timestamp(), nanos: now.timestamp_subsec_nanos() as i32 }),
        }))
    }
}
