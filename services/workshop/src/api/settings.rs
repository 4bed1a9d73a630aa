//! `WorkshopSettingsService` over gRPC.

use aftersales_kernel::DealerId;
use aftersales_proto::workshop::v1 as pb;
use aftersales_proto::workshop::v1::workshop_settings_service_server::WorkshopSettingsService;
use aftersales_runtime::AppError;
use aftersales_runtime::auth::{DealerScope, Role};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::Check;
use tonic::{Request, Response, Status};

use crate::app::Workshop;
use crate::convert;

/// Who reads settings: all staff (dealer staff their own dealer).
const READERS: &[Role] = &Role::STAFF;
/// Who changes them: the dealer's manager.
const WRITERS: &[Role] = &[Role::DealerManager];

/// The gRPC face of dealers' workshop settings.
#[derive(Clone, Debug)]
pub struct WorkshopSettingsApi {
    app: Workshop,
}

impl WorkshopSettingsApi {
    /// Over the application layer.
    pub fn new(app: Workshop) -> Self {
        Self { app }
    }
}

#[tonic::async_trait]
impl WorkshopSettingsService for WorkshopSettingsApi {
    async fn get_workshop_settings(
        &self,
        request: Request<pb::GetWorkshopSettingsRequest>,
    ) -> Result<Response<pb::WorkshopSettings>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let raw = &request.get_ref().dealer_id;
        let mut check = Check::new();
        let dealer = (!raw.is_empty()).then(|| check.parse("dealer_id", DealerId::parse(raw))).flatten();
        check.finish()?;
        let dealer = match caller.dealer_scope(dealer)? {
            DealerScope::Only(dealer) => dealer,
            DealerScope::All => return Err(AppError::invalid("dealer_id", "is required").into()),
        };
        Ok(Response::new(convert::settings(&self.app.settings(dealer).await?)))
    }

    async fn update_workshop_settings(
        &self,
        request: Request<pb::UpdateWorkshopSettingsRequest>,
    ) -> Result<Response<pb::WorkshopSettings>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = caller
            .dealer()
            .ok_or_else(|| AppError::PermissionDenied("only a dealer's manager changes its settings".into()))?;
        let request = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &request.request_id);
        let etag =
            check.parse("etag", request.etag.parse::<i64>().map_err(|_| "must be the etag of the settings read"));
        let (request_id, etag) = check.finish_with(|| Some((request_id?, etag?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "UpdateWorkshopSettings", request_id, &request, |r| {
            r.request_id.clear()
        });
        Ok(Response::new(self.app.update_settings(&key, dealer, etag, request.automatic_assignment).await?))
    }
}
